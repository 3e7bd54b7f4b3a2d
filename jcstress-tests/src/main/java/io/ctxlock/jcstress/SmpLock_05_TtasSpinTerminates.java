package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.smp.SmpAlgorithm;
import io.ctxlock.smp.SmpBackend;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * lock() spinning on CPU1 terminates once CPU0 unlocks the TTAS lock it holds.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t SmpLock_05_Ttas}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The spinner got the lock after the unlock.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "The spinner never saw the unlock.")
@State
public class SmpLock_05_TtasSpinTerminates {
    final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TTAS)).mailboxCapacity(4).build();
    final SpinLock lock = m.newSpinLock("l");
    final Cpu c0 = m.cpu(0);
    final Cpu c1 = m.cpu(1);

    {
        lock.lock(c0);
        c0.unbindThread(); // the signal thread drives CPU0 from here on
    }

    @Actor
    public void cpu1() {
        lock.lock(c1);
    }

    @Signal
    public void cpu0() {
        lock.unlock(c0);
    }
}
