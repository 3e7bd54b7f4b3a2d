package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.Owner;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * MP+polocks through lock-jvm's ContextLock: what the first holder wrote before its unlock, and
 * even before its lock, is visible to the next holder and after the next holder's unlock.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t JvmLock_03}
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 1", "1, 1"}, expect = ACCEPTABLE, desc = "Either order of the sections.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Saw y from the section but not x written before it.")
@State
public class JvmLock_03_MessagePassing {
    final ContextLock lock = new ContextLock("mp");
    final Owner a = Owner.create("a");
    final Owner b = Owner.create("b");
    int x; // plain
    int y; // plain: written under the lock

    @Actor
    public void writer() {
        x = 1;
        lock.lock(a);
        y = 1;
        lock.unlock(a);
    }

    @Actor
    public void reader(II_Result r) {
        lock.lock(b);
        r.r1 = y;
        lock.unlock(b);
        r.r2 = x;
    }
}
