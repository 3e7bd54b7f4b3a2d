package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.Owner;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * lock-jvm's ContextLock between two threads (one owner each): the sections never overlap and no
 * increment of a plain counter is lost. Each actor notes whether it found the other inside (best
 * effort: the compiler may fold the flag's set and reset; the counter is the check).
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t JvmLock_01}
 */
@JCStressTest
@Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "Exclusive sections, both increments kept.")
@Outcome(expect = FORBIDDEN, desc = "The sections overlapped or an increment was lost.")
@State
public class JvmLock_01_MutualExclusionNoLostIncrements {
    final ContextLock lock = new ContextLock("counter");
    final Owner a = Owner.create("a");
    final Owner b = Owner.create("b");
    boolean inside; // plain, so that it adds no ordering of its own; the compiler may fold it: count decides
    int count; // plain: guarded by lock

    private int section(Owner o) {
        lock.lock(o);
        try {
            int overlap = inside ? 1 : 0;
            inside = true;
            count++;
            inside = false;
            return overlap;
        } finally {
            lock.unlock(o);
        }
    }

    @Actor
    public void actor1(III_Result r) {
        r.r1 = section(a);
    }

    @Actor
    public void actor2(III_Result r) {
        r.r2 = section(b);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = count;
    }
}
