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
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two CPUs trylock one free TTAS lock and keep it: exactly one wins.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t SmpLock_01_TtasTryLockOneWinner}
 */
@JCStressTest
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "Exactly one CPU won the trylock.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Both won: mutual exclusion broken.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Both failed on a free lock.")
@State
public class SmpLock_01_TtasTryLockOneWinner {
    final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TTAS)).mailboxCapacity(4).build();
    final SpinLock lock = m.newSpinLock("l");
    final Cpu c0 = m.cpu(0);
    final Cpu c1 = m.cpu(1);

    @Actor
    public void cpu0(II_Result r) {
        r.r1 = lock.tryLock(c0) ? 1 : 0; // held to the end of the trial: the other must fail
    }

    @Actor
    public void cpu1(II_Result r) {
        r.r2 = lock.tryLock(c1) ? 1 : 0;
    }

}
