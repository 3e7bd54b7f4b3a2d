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
 * MP+polocks (tools/memory-model/litmus-tests): a reader that sees the flag written under a TTAS lock sees the data written before it.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t SmpLock_03_TtasMessagePassing}
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 1", "1, 1"}, expect = ACCEPTABLE, desc = "Allowed by lock.cat.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Saw the flag written under the lock but not the data written before it.")
@State
public class SmpLock_03_TtasMessagePassing {
    final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TTAS)).mailboxCapacity(4).build();
    final SpinLock lock = m.newSpinLock("l");
    final Cpu c0 = m.cpu(0);
    final Cpu c1 = m.cpu(1);
    int x; // plain: written before the lock by CPU0
    int y; // plain: written under the lock
    @Actor
    public void cpu0() {
        x = 1;
        lock.lock(c0);
        y = 1;
        lock.unlock(c0);
    }

    @Actor
    public void cpu1(II_Result r) {
        lock.lock(c1);
        r.r1 = y;
        lock.unlock(c1);
        r.r2 = x;
    }

}
