package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.smp.SmpAlgorithm;
import io.ctxlock.smp.SmpBackend;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Plain increments under a TTAS lock on two CPUs: none is lost.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t SmpLock_02_TtasIncrementsNotLost}
 */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments survived.")
@Outcome(id = "1", expect = FORBIDDEN, desc = "An increment under the lock was lost.")
@State
public class SmpLock_02_TtasIncrementsNotLost {
    final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TTAS)).mailboxCapacity(4).build();
    final SpinLock lock = m.newSpinLock("l");
    final Cpu c0 = m.cpu(0);
    final Cpu c1 = m.cpu(1);
    int x; // plain: guarded by lock
    @Actor
    public void cpu0() {
        lock.lock(c0);
        x++;
        lock.unlock(c0);
    }

    @Actor
    public void cpu1() {
        lock.lock(c1);
        x++;
        lock.unlock(c1);
    }
    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = x;
    }
}
