package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Machine;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The per-CPU interrupt mailbox (a JCTools MPSC queue) under two concurrent producers: each raise
 * is delivered exactly once at the CPU's next interrupt point, none lost, none twice.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t Mailbox_01}
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both interrupts delivered once.")
@Outcome(expect = FORBIDDEN, desc = "An interrupt was lost or delivered twice.")
@State
public class Mailbox_01_TwoProducersEachDeliveredOnce {
    final Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATEFUL)).mailboxCapacity(4).build();
    final Cpu cpu0 = m.cpu(0);
    int a; // plain: written by handlers on CPU0's thread (the arbiter's)
    int b;
    final Interrupt irqA = Interrupt.hardirq("a", c -> a++);
    final Interrupt nmiB = Interrupt.nmi("b", c -> b++);

    @Actor
    public void producerA() {
        cpu0.raise(irqA);
    }

    @Actor
    public void producerB() {
        cpu0.raise(nmiB);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        cpu0.interruptPoint("drain");
        cpu0.interruptPoint("again"); // nothing may be delivered twice
        r.r1 = a;
        r.r2 = b;
    }
}
