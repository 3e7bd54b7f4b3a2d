package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.LockResult;
import io.ctxlock.jvm.Owner;
import io.ctxlock.jvm.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * lock-jvm's nested trylock while another thread races for the lock: a callback of the holder
 * always fails NESTED, whatever the other thread does (it may have come before or after the
 * holder, or failed OTHER_OWNER while the holder was inside, or held it so that the holder's own
 * trylock failed OTHER_OWNER).
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t JvmLock_02}
 */
@JCStressTest
@Outcome(id = "NESTED, ACQUIRED", expect = ACCEPTABLE, desc = "The other thread came before or after the holder.")
@Outcome(id = "NESTED, OTHER_OWNER", expect = ACCEPTABLE, desc = "The other thread tried while the holder was inside.")
@Outcome(id = "OTHER_OWNER, ACQUIRED", expect = ACCEPTABLE, desc = "The other thread held it: the holder skipped.")
@Outcome(expect = FORBIDDEN, desc = "A nested context acquired a lock its own owner holds.")
@State
public class JvmLock_02_NestedNeverAcquires {
    final ContextLock lock = new ContextLock("appender");
    final Owner holder = Owner.create("holder");
    final Owner other = Owner.create("other");

    @Actor
    public void holder(LL_Result r) {
        LockResult outer = lock.tryLockDetailed(holder);
        if (!outer.acquired()) {
            r.r1 = outer;
            return;
        }
        try (Scope s = holder.enter(ContextKind.CALLBACK, "append")) {
            LockResult nested = lock.tryLockDetailed(s.owner());
            r.r1 = nested;
            if (nested.acquired()) {
                lock.unlock(holder);
            }
        }
        lock.unlock(holder);
    }

    @Actor
    public void other(LL_Result r) {
        LockResult res = lock.tryLockDetailed(other);
        r.r2 = res;
        if (res.acquired()) {
            lock.unlock(other);
        }
    }
}
