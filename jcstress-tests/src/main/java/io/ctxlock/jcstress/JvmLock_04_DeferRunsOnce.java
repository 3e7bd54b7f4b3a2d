package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.NestedPolicy;
import io.ctxlock.jvm.Owner;
import io.ctxlock.jvm.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * lock-jvm's DEFER policy with two threads: one defers a task from a callback inside its own
 * section, the other submits while it may hold the lock. Each task runs exactly once, under the
 * lock (their increments of a plain counter are never lost), and the deferred one only after the
 * nested context closed (at its owner's depth 0), not re-entered inside it.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t JvmLock_04}
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 2", expect = ACCEPTABLE, desc = "Each ran once, under the lock; the nested one after its scope.")
@Outcome(expect = FORBIDDEN, desc = "Lost, ran twice, ran inside the nested context, or outside the lock.")
@State
public class JvmLock_04_DeferRunsOnce {
    final ContextLock lock = new ContextLock("emitter", NestedPolicy.DEFER);
    final Owner a = Owner.create("a");
    final Owner b = Owner.create("b");
    int ranA; // plain: written under the lock
    int depthA = -1;
    int ranB;
    int both;
    final Runnable taskA = () -> {
        ranA++;
        depthA = a.depth();
        both++;
    };
    final Runnable taskB = () -> {
        ranB++;
        both++;
    };

    @Actor
    public void deferrer() {
        lock.lock(a);
        try (Scope s = a.enter(ContextKind.CALLBACK, "onNext")) {
            lock.runOrDefer(s.owner(), taskA);
        }
        lock.unlock(a);
    }

    @Actor
    public void submitter() {
        lock.runOrDefer(b, taskB);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = ranA;
        r.r2 = depthA;
        r.r3 = ranB;
        r.r4 = both;
    }
}
