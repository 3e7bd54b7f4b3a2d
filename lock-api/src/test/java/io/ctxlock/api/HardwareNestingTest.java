package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Only the nestings the hardware allows: the NMI latch, probes skipped inside themselves, no
 * hardirq in hardirq, every preempt_count field refusing to overflow; and softirqs at irq_exit.
 */
class HardwareNestingTest {
    private final Machine m = TestMachines.up();
    private final Cpu cpu = m.cpu(0);
    private final List<String> trace = new ArrayList<>();

    @Test
    void anNmiRaisedInAnNmiIsLatchedAndRunsRightAfterTheFirstReturns() {
        Interrupt second = Interrupt.nmi("second", c -> trace.add("second in " + c.contextStack()));
        cpu.raise(Interrupt.nmi("first", c -> {
            c.raise(second);
            c.interruptPoint("inside the first NMI");
            trace.add("first returns");
        }));
        cpu.interruptPoint("task");
        trace.add("task resumes");
        assertEquals(List.of("first returns", "second in task > NMI(second)", "task resumes"), trace);
    }

    @Test
    void runOfAnNmiInAnNmiIsLatchedAndEnterIsRefused() {
        cpu.run(ContextKind.NMI, "first", c -> {
            c.run(ContextKind.NMI, "second", n -> trace.add("second in " + n.contextStack()));
            trace.add("first returns");
            int before = c.preemptCount();
            LockMisuseException e = assertThrows(LockMisuseException.InvalidContext.class,
                    () -> c.enter(ContextKind.NMI, "third"));
            assertTrue(e.getMessage().contains("entered while in NMI"), e.getMessage());
            assertEquals(before, c.preemptCount());
            assertEquals(1, c.depth());
        });
        assertEquals(List.of("first returns", "second in task > NMI(second)"), trace);
        assertEquals(0, cpu.depth());
    }

    @Test
    void aProbeHitInsideItselfIsSkippedCountedAndTraced() {
        List<String> missed = new ArrayList<>();
        m.setTracer(new Tracer() {
            @Override
            public void probeMissed(Cpu c, String probe) {
                missed.add(probe + " in " + c.contextStack());
            }
        });
        Interrupt again = Interrupt.probe("fentry/kmalloc", c -> trace.add("recursed"));
        cpu.run(ContextKind.PROBE, "fentry/kmalloc", c -> {
            c.raise(again);
            c.interruptPoint("inside the probe");
            c.run(ContextKind.PROBE, "fentry/kmalloc", p -> trace.add("recursed"));
            c.run(ContextKind.PROBE, "fentry/kfree", p -> trace.add("other program in " + p.contextStack()));
        });
        assertEquals(List.of("other program in task > probe(fentry/kmalloc) > probe(fentry/kfree)"), trace);
        assertEquals(2, cpu.probesMissed());
        assertEquals(List.of("fentry/kmalloc in task > probe(fentry/kmalloc)",
                "fentry/kmalloc in task > probe(fentry/kmalloc)"), missed);
    }

    @Test
    void anyKprobeInsideAKprobeIsSkippedButAnFentryProgramNests() {
        cpu.run(ContextKind.PROBE, "kprobe/do_exit", c -> {
            c.run(ContextKind.PROBE, "kretprobe/kmalloc", p -> trace.add("kprobe nested"));
            c.run(ContextKind.PROBE, "fentry/kmalloc", p -> trace.add("fentry in " + p.contextStack()));
            assertThrows(LockMisuseException.InvalidContext.class, () -> c.enter(ContextKind.PROBE, "kprobe/x"));
        });
        assertEquals(List.of("fentry in task > probe(kprobe/do_exit) > probe(fentry/kmalloc)"), trace);
        assertEquals(1, cpu.probesMissed());
    }

    @Test
    void noHardirqInsideAHardirqEvenIfItsHandlerTurnsInterruptsOn() {
        Interrupt inner = Interrupt.hardirq("disk", c -> trace.add("disk in " + c.contextStack()));
        cpu.raise(Interrupt.hardirq("eth0", c -> {
            c.localIrqEnable(); // a buggy handler; the kernel WARNs, the model keeps the line pending
            c.raise(inner);
            c.interruptPoint("eth0 with irqs on");
            assertThrows(LockMisuseException.InvalidContext.class, () -> c.enter(ContextKind.HARDIRQ, "disk"));
            trace.add("eth0 returns");
            c.localIrqDisable();
        }));
        cpu.interruptPoint("task");
        assertEquals(List.of("eth0 returns", "disk in task > hardirq(disk)"), trace);
    }

    @Test
    void everyPreemptCountFieldRefusesToOverflowAndLeavesTheCountAsItWas() {
        assertEquals("preempt", PreemptCount.overflow(0xff, PreemptCount.PREEMPT_OFFSET));
        assertEquals("softirq", PreemptCount.overflow(0xfe00, PreemptCount.SOFTIRQ_DISABLE_OFFSET));
        assertEquals("hardirq", PreemptCount.overflow(0xf0000, PreemptCount.NMI_OFFSET + PreemptCount.HARDIRQ_OFFSET));
        assertEquals("NMI", PreemptCount.overflow(0xf00000, PreemptCount.NMI_OFFSET));
        assertNull(PreemptCount.overflow(0xe0000, PreemptCount.NMI_OFFSET + PreemptCount.HARDIRQ_OFFSET));

        for (int i = 0; i < 255; i++) {
            cpu.preemptDisable();
        }
        assertThrows(LockMisuseException.NestingOverflow.class, cpu::preemptDisable);
        assertEquals(255, cpu.preemptCount());
        for (int i = 0; i < 255; i++) {
            cpu.preemptEnable();
        }
        for (int i = 0; i < 127; i++) {
            cpu.localBhDisable();
        }
        LockMisuseException bh = assertThrows(LockMisuseException.NestingOverflow.class, cpu::localBhDisable);
        assertTrue(bh.getMessage().contains("softirq field"), bh.getMessage());
        assertEquals(127 * PreemptCount.SOFTIRQ_DISABLE_OFFSET, cpu.preemptCount());
        cpu.preemptCount = 0;

        cpu.preemptCount = 15 * PreemptCount.HARDIRQ_OFFSET; // as if 15 hardirq levels were open
        LockMisuseException nmi = assertThrows(LockMisuseException.NestingOverflow.class,
                () -> cpu.run(ContextKind.NMI, "perf", c -> trace.add("ran")));
        assertTrue(nmi.getMessage().contains("overflows the hardirq field"), nmi.getMessage());
        assertEquals(15 * PreemptCount.HARDIRQ_OFFSET, cpu.preemptCount());
        assertEquals(0, cpu.depth());
        assertEquals(List.of(), trace);
        cpu.preemptCount = 0;
    }

    @Test
    void aHardirqLeftAfterCpuRunRunsPendingSoftirqsAtIrqExit() {
        Interrupt timer = Interrupt.softirq("TIMER", c -> trace.add(c.contextStack()));
        cpu.run(ContextKind.HARDIRQ, "timer", c -> c.raise(timer));
        assertEquals(List.of("task > softirq(TIMER)"), trace, "no interrupt point was passed after the handler");
        cpu.enter(ContextKind.HARDIRQ, "eth0");
        cpu.raise(timer);
        cpu.exit(ContextKind.HARDIRQ);
        assertEquals(List.of("task > softirq(TIMER)", "task > softirq(TIMER)"), trace);
    }

    @Test
    void irqExitIntoInterruptContextLeavesSoftirqsPending() {
        Interrupt timer = Interrupt.softirq("TIMER", c -> trace.add(c.contextStack()));
        cpu.localBhDisable();
        cpu.run(ContextKind.HARDIRQ, "timer", c -> c.raise(timer));
        assertEquals(List.of(), trace, "in_interrupt(): bottom halves are disabled");
        cpu.localBhEnable();
        assertEquals(List.of("task > softirq(TIMER)"), trace);
    }

    @Test
    void localBhEnableRunsSoftirqsWithOnePreemptLevelStillHeld() {
        List<Integer> counts = new ArrayList<>();
        cpu.preemptDisable();
        cpu.localBhDisable();
        cpu.raise(Interrupt.softirq("NET_RX", c -> counts.add(c.preemptCount())));
        cpu.localBhEnable();
        assertEquals(List.of(1 + PreemptCount.PREEMPT_OFFSET + PreemptCount.SOFTIRQ_OFFSET), counts, "0x101 above the caller");
        assertEquals(1, cpu.preemptCount());
        cpu.preemptEnable();
    }

    @Test
    void localBhEnableInHardirqWarnsOnceWithTheKernelsText() {
        for (int i = 0; i < 2; i++) {
            cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
                c.localBhDisable();
                c.localBhEnable();
            });
        }
        List<KernelLog.Entry> log = m.kernelLog().entries();
        assertEquals(1, log.size(), m.kernelLog().toString());
        String text = log.get(0).text();
        assertTrue(text.startsWith("WARNING: CPU: 0 PID: 1 at kernel/softirq.c __local_bh_enable_ip"), text);
        assertTrue(text.contains("WARN_ON_ONCE(in_hardirq())"), text);
    }

    @Test
    void localBhEnableWithInterruptsOffWarnsOnlyWithTheValidatorOn() {
        cpu.localIrqDisable();
        cpu.localBhDisable();
        cpu.localBhEnable();
        cpu.localIrqEnable();
        assertEquals(0, m.kernelLog().size());
        Machine checked = Machine.builder().backend(new io.ctxlock.api.contract.ReferenceBackend()).lockdep(true).build();
        Cpu c = checked.cpu(0);
        c.localIrqDisable();
        c.localBhDisable();
        c.localBhEnable();
        c.localIrqEnable();
        assertTrue(checked.kernelLog().contains("lockdep_assert_irqs_enabled()"), checked.kernelLog().toString());
    }
}
