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
        List<Integer> delivered = new ArrayList<>(); // the CPU's thread only
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
                    cpu.raise(Interrupt.hardirq("irq" + id, c -> delivered.add(id)));
                }
            });
            producers[t].start();
        }
        cpu.bindCurrentThread();
        start.countDown();
        // deliver while the producers still raise: the consumer side runs concurrently with them
        for (long spins = 0; delivered.size() < 2 * perThread; spins++) {
            cpu.interruptPoint("poll");
            assertTrue(spins < 100_000_000L, "interrupts lost: " + delivered.size() + " of " + 2 * perThread);
        }
        for (Thread p : producers) {
            p.join();
        }
        cpu.interruptPoint("after");
        assertEquals(2 * perThread, delivered.size(), "each delivered once");
        assertEquals(2 * perThread, delivered.stream().distinct().count());
        int[] last = {-1, perThread - 1};
        for (int id : delivered) { // FIFO per producer
            int t = id / perThread;
            assertTrue(id > last[t], "producer " + t + ": " + id + " delivered after " + last[t]);
            last[t] = id;
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
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            if (c0.tryRaise(irq)) {
                raised++;
            } else {
                refused++;
            }
            c0.interruptPoint("irqs off");
        }
        assertTrue(raised >= 2, "at least the mailbox's capacity is accepted: " + raised);
        assertTrue(refused > 0, "then the raiser sees backpressure");
        assertEquals(0, ran[0], "nothing runs with interrupts off");
        c0.localIrqEnable();
        assertEquals(raised, ran[0], "every accepted raise runs, once");
    }

    @Test
    void withoutAnObserverPointsStillCountAndDeliver() {
        assertEquals(null, m.pointObserver());
        cpu.interruptPoint("a");
        cpu.raise(record(ContextKind.NMI, "perf"));
        assertTrue(trace.isEmpty(), "raised, not yet delivered");
        cpu.interruptPoint("b");
        assertEquals(2, cpu.pointSeq());
        assertEquals(List.of("task > NMI(perf)"), trace);
    }
}
