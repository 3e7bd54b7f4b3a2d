package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.LockClass;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * BROKEN ON PURPOSE: the kernel's CONFIG_SMP=n spinlock keeps no state, so an NMI's trylock of a
 * lock its own CPU holds "succeeds" and the NMI walks into the critical section: the seed's bug.
 * The acquisition is the documented interesting outcome; it shows up in {@code -m quick}.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t NestedTryLock_08}
 */
@JCStressTest
@Outcome(id = "3", expect = ACCEPTABLE_INTERESTING, desc = "The bug: the NMI acquired a lock its own CPU held.")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "Interrupt outside the section: trylock acquired a free lock.")
@Outcome(id = {"0", "1", "4"}, expect = FORBIDDEN, desc = "A stateless lock cannot fail or be skipped.")
@State
public class NestedTryLock_08_UpStatelessNmi_Broken {
    final NestedHarness h = NestedHarness.spin(UpBackend.create(UpMode.STATELESS), 1, LockClass.of("pcp->lock"),
            ContextKind.NMI);

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
