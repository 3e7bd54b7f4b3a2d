package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** local_trylock_t: state of its own on every backend, fails only when its CPU is inside it. */
class LocalTryLockTest {
    private final Machine m = TestMachines.withCpus(2);
    private final Cpu cpu = m.cpu(0);
    private final LocalTryLock.PerCpu cpuSlab = m.newLocalTryLock("s->cpu_slab->lock");

    @ParameterizedTest
    @EnumSource(value = ContextKind.class, names = {"NMI", "HARDIRQ", "PROBE"})
    void nestedTryLockFailsWhileTheInterruptedCodeIsInside(ContextKind kind) {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        l.lock(cpu); // interrupts stay enabled: a hardirq can get in too
        TryResult[] seen = new TryResult[2];
        cpu.raise(Interrupt.of(kind, "kmalloc_nolock", c -> {
            boolean irqsOff = c.irqsDisabled();
            seen[0] = l.tryLockDetailed(c);
            seen[1] = l.tryLockIrqSave(c) == SpinLock.TRYLOCK_FAILED ? c.lastTryFailure() : TryResult.ACQUIRED;
            assertEquals(irqsOff, c.irqsDisabled(), "a failed trylock_irqsave restores the flag");
        }));
        cpu.interruptPoint("inside local_lock(cpu_slab)");
        assertEquals(TryResult.NESTED, seen[0]);
        assertEquals(TryResult.NESTED, seen[1]);
        l.unlock(cpu);
        assertFalse(l.isLocked());
        assertEquals(0, m.kernelLog().size());
    }

    @Test
    void irqSaveSectionKeepsAHardirqOutUntilTheRestore() {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        long flags = l.lockIrqSave(cpu);
        assertEquals(0, cpu.preemptCount(), "the irqsave variant does not disable preemption");
        TryResult[] seen = new TryResult[1];
        cpu.raise(Interrupt.hardirq("eth0", c -> {
            seen[0] = l.tryLockDetailed(c);
            if (seen[0].acquired()) {
                l.unlock(c);
            }
        }));
        cpu.interruptPoint("inside");
        assertEquals(null, seen[0]);
        l.unlockIrqRestore(cpu, flags);
        assertEquals(TryResult.ACQUIRED, seen[0], "delivered at the restore, after the section closed");
    }

    @Test
    void tryLockSucceedsWhenFreeAndDisablesPreemption() {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        assertTrue(l.tryLock(cpu));
        assertEquals(1, cpu.preemptCount());
        assertEquals(TryResult.SAME_CONTEXT, l.tryLockDetailed(cpu));
        l.unlock(cpu);
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void anotherCpusInstanceIsWrongCpu() {
        LocalTryLock other = cpuSlab.of(1);
        LockMisuseException e = assertThrows(LockMisuseException.WrongCpu.class, () -> other.tryLock(cpu));
        assertEquals("s->cpu_slab->lock", e.lockName());
        assertTrue(e.getMessage().contains("CPU#0"));
        assertFalse(other.isLocked());
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void lockOfAnAcquiredInstanceIsRecursion() {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        l.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> assertThrows(LockMisuseException.Recursion.class, () -> l.lock(c)));
        l.unlock(cpu);
    }

    @Test
    void unlockByAnotherContextOrWhenFreeIsRefused() {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        assertThrows(LockMisuseException.NotLocked.class, () -> l.unlock(cpu));
        l.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> assertThrows(LockMisuseException.WrongContext.class, () -> l.unlock(c)));
        l.unlock(cpu);
    }

    @Test
    void preemptRtRefusesInNmiAndHardirq() {
        Machine rt = TestMachines.rt();
        LocalTryLock l = rt.newLocalTryLock("cpu_slab").thisCpu(rt.cpu(0));
        rt.cpu(0).run(ContextKind.NMI, "perf", c -> {
            assertEquals(TryResult.REFUSED_BY_POLICY, l.tryLockDetailed(c));
            assertEquals(TryResult.REFUSED_BY_POLICY, c.lastTryFailure());
        });
        assertTrue(l.tryLock(rt.cpu(0)));
        l.unlock(rt.cpu(0));
    }

    @Test
    void guardsCloseTheSection() {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        try (LockGuard g = l.guardIrqSave(cpu)) {
            assertTrue(cpu.irqsDisabled());
            assertNull(l.tryGuard(cpu));
        }
        assertFalse(cpu.irqsDisabled());
        assertFalse(l.isLocked());
    }

    @Test
    void aFailedTryLockIrqSaveSavesAndRestoresTheFlagAtAnInterruptPoint() {
        LocalTryLock l = cpuSlab.thisCpu(cpu);
        l.lock(cpu); // local_lock(): preemption off, interrupts stay on
        java.util.List<String> points = new java.util.ArrayList<>();
        m.setPointObserver((c, label, seq) -> points.add(label + "@" + c.depth()));
        Interrupt timer = Interrupt.hardirq("timer", c -> points.add("timer ran"));
        cpu.run(ContextKind.PROBE, "fentry/x", p -> {
            p.raise(timer); // pending: delivered at the next point with interrupts on
            assertEquals(SpinLock.TRYLOCK_FAILED, l.tryLockIrqSave(p));
            assertFalse(p.irqsDisabled(), "the flag is restored");
        });
        m.setPointObserver(null);
        l.unlock(cpu);
        assertEquals(java.util.List.of("local_trylock_irqsave:fail@1", "timer ran"), points,
                "__local_trylock_irqsave(): local_irq_save, then local_irq_restore on failure");
    }

    /** A full flags stack (64 saves) refuses the irqsave trylock before it records a failure; plain ones need no room. */
    @Test
    void aFullFlagsStackRefusesOnlyTheIrqsaveTrylockAndRecordsNothing() {
        LocalTryLock l = cpuSlab.of(0);
        assertTrue(l.tryLock(cpu));
        long[] saved = new long[64];
        for (int i = 0; i < saved.length; i++) {
            saved[i] = cpu.localIrqSave();
        }
        assertThrows(LockMisuseException.NestingOverflow.class, () -> l.tryLockIrqSave(cpu));
        assertNull(cpu.lastTryFailure(), "no failure recorded for a call that threw");
        assertFalse(l.tryLock(cpu), "the plain trylock needs no flags slot");
        assertEquals(TryResult.SAME_CONTEXT, cpu.lastTryFailure());
        l.unlock(cpu);
        l.lock(cpu); // nor does the plain lock
        for (int i = saved.length - 1; i >= 0; i--) {
            cpu.localIrqRestore(saved[i]);
        }
        l.unlock(cpu);
        assertEquals(0, cpu.preemptCount());
    }
}
