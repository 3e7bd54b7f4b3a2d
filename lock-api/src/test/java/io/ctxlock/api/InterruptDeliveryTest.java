package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Interrupt delivery at interrupt points, by the hardware's rules, and the point observer. */
class InterruptDeliveryTest {
    private final Machine m = TestMachines.up();
    private final Cpu cpu = m.cpu(0);
    private final List<String> trace = new ArrayList<>();

    private Interrupt record(ContextKind kind, String name) {
        return Interrupt.of(kind, name, c -> trace.add(c.contextStack()));
    }

    @Test
    void nothingIsDeliveredBetweenPoints() {
        cpu.raise(record(ContextKind.NMI, "perf"));
        assertTrue(trace.isEmpty());
        cpu.interruptPoint("here");
        assertEquals(List.of("task > NMI(perf)"), trace);
    }

    @Test
    void pendingInterruptsRunNmiThenProbeThenHardirqThenSoftirq() {
        cpu.raise(record(ContextKind.SOFTIRQ, "NET_RX"));
        cpu.raise(record(ContextKind.HARDIRQ, "eth0"));
        cpu.raise(record(ContextKind.PROBE, "kprobe"));
        cpu.raise(record(ContextKind.NMI, "perf"));
        cpu.interruptPoint("here");
        assertEquals(List.of("task > NMI(perf)", "task > probe(kprobe)", "task > hardirq(eth0)",
                "task > softirq(NET_RX)"), trace);
    }

    @Test
    void softirqWaitsForLocalBhEnable() {
        cpu.localBhDisable();
        cpu.raise(record(ContextKind.SOFTIRQ, "TIMER"));
        cpu.interruptPoint("bh disabled");
        assertTrue(trace.isEmpty());
        cpu.localBhEnable();
        assertEquals(List.of("task > softirq(TIMER)"), trace);
    }

    @Test
    void softirqRaisedInHardirqRunsOnHardirqExitNotInsideIt() {
        Interrupt timerSoftirq = record(ContextKind.SOFTIRQ, "TIMER");
        cpu.raise(Interrupt.hardirq("timer", c -> {
            c.raise(timerSoftirq);
            c.interruptPoint("inside hardirq");
            trace.add("hardirq done");
        }));
        cpu.interruptPoint("task");
        assertEquals(List.of("hardirq done", "task > softirq(TIMER)"), trace);
    }

    @Test
    void anNmiInsideAHardirqNestsOnTopOfIt() {
        Interrupt nmi = record(ContextKind.NMI, "perf");
        cpu.raise(Interrupt.hardirq("eth0", c -> {
            c.raise(nmi);
            c.interruptPoint("eth0:loop");
        }));
        cpu.interruptPoint("task");
        assertEquals(List.of("task > hardirq(eth0) > NMI(perf)"), trace);
    }

    @Test
    void observerSeesEveryPointWithStableLabelsAndSequenceNumbers() {
        List<String> points = new ArrayList<>();
        m.setPointObserver((c, label, seq) -> points.add(seq + ":" + label));
        SpinLock zone = m.newSpinLock("zone->lock");
        long flags = zone.lockIrqSave(cpu);
        cpu.interruptPoint("rmqueue_bulk:loop");
        zone.unlockIrqRestore(cpu, flags);
        cpu.localIrqDisable();
        cpu.localIrqEnable();
        cpu.localBhDisable();
        cpu.localBhEnable();
        assertEquals(List.of("1:rmqueue_bulk:loop", "2:spin_unlock_irqrestore", "3:local_irq_enable",
                "4:local_bh_enable"), points);
        assertEquals(4, cpu.pointSeq());
    }

    @Test
    void observerInjectsAtAChosenPointAndAHardirqWaitsForInterruptsOn() {
        Interrupt eth0 = record(ContextKind.HARDIRQ, "eth0");
        m.setPointObserver((c, label, seq) -> {
            if (seq == 1) {
                c.raise(eth0);
            }
            trace.add("point " + seq);
        });
        cpu.localIrqDisable();
        cpu.interruptPoint("irqs off"); // seq 1: injected, but interrupts are off
        cpu.localIrqEnable(); //           seq 2: delivered here
        assertEquals(List.of("point 1", "point 2", "task > hardirq(eth0)"), trace);
    }

    @Test
    void interruptsRaisedFromOtherThreadsAreEachDeliveredOnceInOrder() throws Exception {
        int perThread = 300;
        int[] seen = new int[2 * perThread];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] producers = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int base = t * perThread;
            producers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    int id = base + i;
                    cpu.raise(Interrupt.hardirq("irq" + id, c -> seen[id]++));
                }
            });
            producers[t].start();
        }
        cpu.bindCurrentThread();
        start.countDown();
        for (Thread p : producers) {
            p.join();
        }
        cpu.interruptPoint("drain");
        for (int i = 0; i < seen.length; i++) {
            assertEquals(1, seen[i], "interrupt " + i);
        }
    }

    @Test
    void aStormWithInterruptsDisabledBacksUpIntoTheMailboxAndLosesNothing() {
        Machine small = Machine.builder().backend(new io.ctxlock.api.contract.ReferenceBackend())
                .mailboxCapacity(2).build();
        Cpu c0 = small.cpu(0);
        int[] ran = new int[1];
        Interrupt irq = Interrupt.hardirq("storm", c -> ran[0]++);
        c0.localIrqDisable();
        int raised = 0;
        for (int i = 0; i < 10; i++) {
            if (c0.tryRaise(irq)) {
                raised++;
            }
            c0.interruptPoint("irqs off");
        }
        assertEquals(4, raised, "2 pending on the CPU plus 2 in the mailbox, then backpressure");
        assertEquals(0, ran[0]);
        c0.localIrqEnable();
        assertEquals(4, ran[0]);
    }

    @Test
    void noObserverMeansPointsOnlyCount() {
        cpu.interruptPoint("a");
        cpu.interruptPoint("b");
        assertEquals(2, cpu.pointSeq());
        assertTrue(trace.isEmpty());
    }
}
