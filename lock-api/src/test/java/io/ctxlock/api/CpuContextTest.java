package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The execution-context model: preempt_count layout, entry and exit, and what each context sees. */
class CpuContextTest {
    private final Machine m = TestMachines.up();
    private final Cpu cpu = m.cpu(0);

    @Test
    void taskContextStartsPreemptibleWithInterruptsEnabled() {
        assertEquals(0, cpu.preemptCount());
        assertTrue(cpu.inTask());
        assertTrue(cpu.preemptible());
        assertEquals(ContextKind.TASK, cpu.context());
        assertEquals("task", cpu.contextStack());
    }

    @Test
    void nmiEntryAddsNmiAndHardirqOffsetsAndDisablesInterrupts() {
        cpu.run(ContextKind.NMI, "perf", c -> {
            assertEquals(PreemptCount.NMI_OFFSET + PreemptCount.HARDIRQ_OFFSET, c.preemptCount());
            assertTrue(c.inNmi());
            assertTrue(c.inHardirq(), "an NMI also reads as in_hardirq()");
            assertFalse(c.inTask());
            assertTrue(c.irqsDisabled());
            assertEquals("task > NMI(perf)", c.contextStack());
        });
        assertEquals(0, cpu.preemptCount());
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void hardirqEntryAddsHardirqOffsetAndRunsWithInterruptsDisabled() {
        cpu.run(ContextKind.HARDIRQ, "timer", c -> {
            assertEquals(PreemptCount.HARDIRQ_OFFSET, c.preemptCount());
            assertTrue(c.inHardirq());
            assertFalse(c.inNmi());
            assertTrue(c.irqsDisabled());
        });
    }

    @Test
    void servingSoftirqAddsSoftirqOffsetWithInterruptsEnabled() {
        cpu.run(ContextKind.SOFTIRQ, "NET_RX", c -> {
            assertEquals(PreemptCount.SOFTIRQ_OFFSET, c.preemptCount());
            assertTrue(c.inServingSoftirq());
            assertFalse(c.irqsDisabled());
            assertFalse(c.inTask());
        });
    }

    @Test
    void bhDisableIsSoftirqButNotServingSoftirq() {
        cpu.localBhDisable();
        assertEquals(PreemptCount.SOFTIRQ_DISABLE_OFFSET, cpu.preemptCount());
        assertFalse(cpu.inServingSoftirq());
        assertTrue(cpu.inInterrupt());
        assertTrue(cpu.inTask());
        cpu.localBhEnable();
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void probeLeavesContextBitsAsTheProbedCodeHadThemSoInNmiIsFalse() {
        long flags = cpu.localIrqSave();
        cpu.preemptDisable();
        cpu.run(ContextKind.PROBE, "bpf_prog", c -> {
            assertEquals(1, c.preemptCount());
            assertTrue(c.irqsDisabled());
            assertFalse(c.inNmi(), "the case can_spin_trylock() misses");
            assertTrue(c.inTask());
            assertEquals(1, c.probeDepth());
            assertEquals(ContextKind.PROBE, c.context());
        });
        assertEquals(0, cpu.probeDepth());
        cpu.preemptEnable();
        cpu.localIrqRestore(flags);
    }

    @Test
    void exitRestoresEverythingAlsoWhenTheHandlerThrows() {
        cpu.localBhDisable();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> cpu.run(ContextKind.NMI, "perf", c -> {
                    c.run(ContextKind.PROBE, "kprobe", p -> {
                        throw boom;
                    });
                }));
        assertEquals(boom, thrown);
        assertEquals(0, cpu.depth());
        assertEquals(0, cpu.probeDepth());
        assertEquals(PreemptCount.SOFTIRQ_DISABLE_OFFSET, cpu.preemptCount());
        assertFalse(cpu.irqsDisabled());
        cpu.localBhEnable();
    }

    @Test
    void explicitEnterAndExitPairLikeNmiEnterAndNmiExit() {
        cpu.enter(ContextKind.HARDIRQ, "eth0");
        cpu.enter(ContextKind.NMI, "perf");
        assertEquals("task > hardirq(eth0) > NMI(perf)", cpu.contextStack());
        cpu.exit(ContextKind.NMI);
        cpu.exit(ContextKind.HARDIRQ);
        assertEquals(0, cpu.preemptCount());
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void hardirqCannotBeEnteredWithInterruptsDisabled() {
        cpu.localIrqDisable();
        LockMisuseException e = assertThrows(LockMisuseException.InvalidContext.class,
                () -> cpu.enter(ContextKind.HARDIRQ, "timer"));
        assertTrue(e.getMessage().contains("interrupts disabled"));
        assertEquals(0, cpu.depth());
        cpu.localIrqEnable();
    }

    @Test
    void softirqCannotBeEnteredInInterruptContext() {
        cpu.run(ContextKind.HARDIRQ, "timer", c -> assertThrows(LockMisuseException.InvalidContext.class,
                () -> c.enter(ContextKind.SOFTIRQ, "TIMER")));
        cpu.localBhDisable();
        assertThrows(LockMisuseException.InvalidContext.class, () -> cpu.enter(ContextKind.SOFTIRQ, "TIMER"));
        cpu.localBhEnable();
    }
}
