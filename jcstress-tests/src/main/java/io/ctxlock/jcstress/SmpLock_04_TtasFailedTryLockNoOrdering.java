package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A failed trylock promises no ordering: seeing the lock held does not make the holder's earlier writes visible
 * (0, 0 shows it). What is forbidden: the lock free at the end (third value 0), which a trylock that
 * succeeded on a held lock and then released it under CPU0 would produce.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t SmpLock_04_TtasFailedTryLockNoOrdering}
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "1, 1, 1"}, expect = ACCEPTABLE, desc = "CPU1 took the lock first; x races either way.")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The trylock failed and x = 1 happened to be visible.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "The trylock failed, yet x = 1, written before the lock was taken, is not seen: a failed trylock has no ordering effect.")
@Outcome(id = {"0, 0, 0", "0, 1, 0", "1, 0, 0", "1, 1, 0"}, expect = FORBIDDEN, desc = "The lock is free although CPU0 took it and never released it.")
@State
public class SmpLock_04_TtasFailedTryLockNoOrdering {
    final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TTAS)).mailboxCapacity(4).build();
    final SpinLock lock = m.newSpinLock("l");
    final Cpu c0 = m.cpu(0);
    final Cpu c1 = m.cpu(1);
    int x; // plain: written by CPU0 before it takes the lock
    @Actor
    public void cpu0() {
        x = 1;
        lock.lock(c0); // held to the end of the trial
    }

    @Actor
    public void cpu1(III_Result r) {
        boolean won = lock.tryLock(c1);
        r.r1 = won ? 1 : 0;
        r.r2 = x;
        if (won) {
            lock.unlock(c1); // CPU0's lock() may be spinning on it
        }
    }

    @Arbiter
    public void held(III_Result r) {
        r.r3 = lock.isLocked() ? 1 : 0; // CPU0 holds it to the end of the trial, whoever went first
    }

}
