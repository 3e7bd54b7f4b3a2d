package io.ctxlock.jcstress;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.LockClass;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * UP, proposal D: an any-context lock; a hardirq's nested trylock fails.
 *
 * <p>CPU0 (actor 1) holds the lock across two interrupt points; actor 2 raises a hardirq on CPU0 at an
 * arbitrary moment, whose handler trylocks the same lock ({@link NestedHarness}). Forbidden: the
 * handler acquiring while the task holds the lock, and any exception. Seen on 2 cores: outcomes 1
 * and 2 only.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t NestedTryLock_06_UpAnyContextClassHardirq}
 */
@JCStressTest
@JCStressMeta(NestedTryLockOutcomes.class)
@State
public class NestedTryLock_06_UpAnyContextClassHardirq {
    final NestedHarness h = NestedHarness.spin(UpBackend.create(UpMode.ANY_CONTEXT_CLASS), 1, LockClass.anyContext("pcp->lock"), ContextKind.HARDIRQ);

    @Actor
    public void task() {
        h.task();
    }

    @Actor
    public void interrupt() {
        h.raise();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = h.arbiter();
    }
}
