package io.ctxlock.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockGuard;
import io.ctxlock.api.LockMisuseException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.PreemptCount;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every backend runs: the bookkeeping {@link SpinLock} does around any lock word,
 * the nested trylock that the RFC is about, and every misuse. A backend module subclasses it,
 * says which backend it tests and what a nested trylock does there, and inherits every test.
 * Published in lock-api's test-jar. Single-CPU tests: everything runs on CPU0, on the test thread.
 */
public abstract class SpinLockContract extends GuardIsolationContract {
    /** What a trylock from an interrupt does while the interrupted code holds the lock. */
    // ---- uncontended paths and bookkeeping ----

    @Test
    void uncontendedTryLockAcquiresAndUnlockRestoresPreemptCount() {
        SpinLock lock = newLock("a");
        assertEquals(TryResult.ACQUIRED, lock.tryLockDetailed(cpu));
        assertEquals(1, cpu.preemptCount());
        assertEquals(hasState(), lock.isLocked());
        assertTrue(lock.isHeldByCurrentContext(cpu));
        lock.unlock(cpu);
        assertEquals(0, cpu.preemptCount());
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentContext(cpu));
    }

    @Test
    void lockIrqSaveDisablesInterruptsAndRestoreGivesBackTheSavedFlag() {
        SpinLock a = newLock("a");
        SpinLock b = newLock("b");
        long fa = a.lockIrqSave(cpu);
        assertTrue(cpu.irqsDisabled());
        long fb = b.lockIrqSave(cpu); // saves "disabled"
        b.unlockIrqRestore(cpu, fb);
        assertTrue(cpu.irqsDisabled(), "restoring b's flags keeps interrupts off");
        a.unlockIrqRestore(cpu, fa);
        assertFalse(cpu.irqsDisabled());
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void lockIrqDisablesAndUnlockIrqEnablesUnconditionally() {
        SpinLock a = newLock("a");
        a.lockIrq(cpu);
        assertTrue(cpu.irqsDisabled());
        assertEquals(1, cpu.preemptCount());
        a.unlockIrq(cpu);
        assertFalse(cpu.irqsDisabled());
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void lockBhAddsSoftirqLockOffsetAndUnlockBhRemovesIt() {
        SpinLock a = newLock("a");
        a.lockBh(cpu);
        assertEquals(PreemptCount.SOFTIRQ_LOCK_OFFSET, cpu.preemptCount());
        assertTrue(cpu.inInterrupt(), "bh disabled reads as in_interrupt(), as in the kernel");
        assertTrue(cpu.inTask());
        a.unlockBh(cpu);
        assertEquals(0, cpu.preemptCount());
        assertTrue(a.tryLockBh(cpu));
        a.unlockBh(cpu);
    }

    @Test
    void sameContextTryLockFailsAndChangesNothing() {
        SpinLock a = newLock("a");
        long flags = a.lockIrqSave(cpu);
        int before = cpu.preemptCount();
        assertEquals(TryResult.SAME_CONTEXT, a.tryLockDetailed(cpu));
        assertEquals(SpinLock.TRYLOCK_FAILED, a.tryLockIrqSave(cpu));
        assertTrue(cpu.irqsDisabled(), "a failed trylock_irqsave restores the flag it saved");
        assertFalse(a.tryLockBh(cpu));
        assertEquals(before, cpu.preemptCount());
        assertEquals(TryResult.SAME_CONTEXT, cpu.lastTryFailure());
        a.unlockIrqRestore(cpu, flags);
        assertEquals(0, cpu.preemptCount());
    }

    // ---- the nested trylock ----

    @ParameterizedTest
    @EnumSource(value = ContextKind.class, names = {"NMI", "HARDIRQ", "SOFTIRQ", "PROBE"})
    void nestedTryLockFromInterruptFollowsTheBackend(ContextKind kind) {
        SpinLock pcp = newLock("pcp->lock");
        assertTrue(pcp.tryLock(cpu)); // the pcp pattern: trylock with interrupts enabled
        AtomicReference<TryResult> seen = new AtomicReference<>();
        cpu.run(kind, "free_pages_nolock", c -> {
            int before = c.preemptCount();
            boolean irqsOff = c.irqsDisabled();
            TryResult r = pcp.tryLockDetailed(c);
            seen.set(r);
            if (r.acquired()) {
                assertTrue(pcp.isHeldByCurrentContext(c));
                pcp.unlock(c);
            }
            assertEquals(before, c.preemptCount());
            assertEquals(irqsOff, c.irqsDisabled());
        });
        switch (nested()) {
            case SUCCEEDS:
                assertEquals(TryResult.ACQUIRED, seen.get());
                break;
            case FAILS:
                assertEquals(TryResult.NESTED, seen.get());
                assertEquals(0, m.kernelLog().size(), m.kernelLog().toString());
                break;
            default:
                assertEquals(TryResult.NESTED, seen.get());
                assertTrue(m.kernelLog().contains("spinlock trylock failure on UP"), m.kernelLog().toString());
        }
        assertTrue(pcp.isHeldByCurrentContext(cpu), "the task still holds its lock");
        pcp.unlock(cpu);
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void failedNestedTryLockIrqSaveInHardirqLeavesInterruptsDisabled() {
        SpinLock zone = newLock("zone->lock");
        zone.lock(cpu);
        cpu.run(ContextKind.HARDIRQ, "timer", c -> {
            long flags = zone.tryLockIrqSave(c);
            if (flags != SpinLock.TRYLOCK_FAILED) {
                zone.unlockIrqRestore(c, flags);
            } else {
                assertEquals(TryResult.NESTED, c.lastTryFailure());
            }
            assertTrue(c.irqsDisabled());
        });
        assertFalse(cpu.irqsDisabled());
        zone.unlock(cpu);
    }

    @Test
    void nestedLockFromInterruptNeverHangs() {
        SpinLock zone = newLock("zone->lock");
        zone.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> {
            int before = c.preemptCount();
            if (nested() == Nested.FAILS) {
                LockMisuseException e = assertThrows(LockMisuseException.Recursion.class, () -> zone.lock(c));
                assertNamesLockCpuContext(e, "zone->lock", "NMI(perf)");
                assertEquals(before, c.preemptCount());
                assertFalse(zone.isHeldByCurrentContext(c));
            } else {
                zone.lock(c); // UP: "succeeds", both own the lock (DEBUG after its report)
                assertTrue(zone.isHeldByCurrentContext(c));
                zone.unlock(c);
            }
        });
        if (nested() == Nested.FAILS_AND_LOGS) {
            assertTrue(m.kernelLog().contains("BUG: spinlock recursion on CPU#0"), m.kernelLog().toString());
            assertFalse(m.kernelLog().contains("lockup suspected"));
        }
        assertTrue(zone.isHeldByCurrentContext(cpu));
        zone.unlock(cpu);
    }

    @Test
    void lockTwiceInOneContextIsRecursionAndChangesNothing() {
        SpinLock a = newLock("a");
        a.lock(cpu);
        LockMisuseException e = assertThrows(LockMisuseException.Recursion.class, () -> a.lockIrq(cpu));
        assertNamesLockCpuContext(e, "a", "task");
        assertEquals(1, cpu.preemptCount());
        assertFalse(cpu.irqsDisabled());
        a.unlock(cpu);
        assertEquals(0, cpu.preemptCount());
    }

    // ---- interrupt delivery around locks ----

    @Test
    void hardirqRaisedWhileIrqsDisabledIsDeliveredExactlyAtTheRestorePoint() {
        SpinLock zone = newLock("zone->lock");
        List<String> trace = new ArrayList<>();
        m.setPointObserver((c, label, seq) -> trace.add("point " + label));
        Interrupt timer = Interrupt.hardirq("timer", c -> trace.add("hardirq in " + c.contextStack()));
        long flags = zone.lockIrqSave(cpu);
        cpu.raise(timer);
        cpu.interruptPoint("inside");
        trace.add("before restore");
        zone.unlockIrqRestore(cpu, flags);
        assertEquals(List.of("point inside", "before restore", "point spin_unlock_irqrestore",
                "hardirq in task > hardirq(timer)"), trace);
    }

    @Test
    void nmiIsDeliveredAtTheNextPointWhateverTheFlag() {
        SpinLock zone = newLock("zone->lock");
        List<String> trace = new ArrayList<>();
        long flags = zone.lockIrqSave(cpu);
        cpu.raise(Interrupt.nmi("perf", c -> trace.add("nmi, irqs disabled=" + c.irqsDisabled())));
        trace.add("raised");
        cpu.interruptPoint("inside");
        trace.add("after point");
        zone.unlockIrqRestore(cpu, flags);
        assertEquals(List.of("raised", "nmi, irqs disabled=true", "after point"), trace);
    }

    // ---- misuse ----

    @Test
    void unlockOfUnlockedLockIsNotLocked() {
        SpinLock a = newLock("a");
        LockMisuseException e = assertThrows(LockMisuseException.NotLocked.class, () -> a.unlock(cpu));
        assertNamesLockCpuContext(e, "a", "task");
        assertEquals(0, cpu.preemptCount());
        assertTrue(m.kernelLog().contains("BUG: spinlock already unlocked on CPU#0"));
    }

    @Test
    void unlockFromAnotherContextIsWrongContext() {
        SpinLock a = newLock("a");
        a.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> {
            int before = c.preemptCount();
            LockMisuseException e = assertThrows(LockMisuseException.WrongContext.class, () -> a.unlock(c));
            assertNamesLockCpuContext(e, "a", "NMI(perf)");
            assertEquals(before, c.preemptCount());
        });
        assertTrue(a.isHeldByCurrentContext(cpu));
        a.unlock(cpu);
    }

    @Test
    void irqRestoreWithFlagsNotSavedByThatLockIsBadIrqFlags() {
        SpinLock a = newLock("a");
        SpinLock b = newLock("b");
        long fa = a.lockIrqSave(cpu);
        long fb = b.lockIrqSave(cpu);
        LockMisuseException e = assertThrows(LockMisuseException.BadIrqFlags.class, () -> b.unlockIrqRestore(cpu, fa));
        assertNamesLockCpuContext(e, "b", "task");
        assertThrows(LockMisuseException.BadIrqFlags.class, () -> b.unlockIrqRestore(cpu, 12345L));
        assertTrue(b.isHeldByCurrentContext(cpu));
        assertTrue(cpu.irqsDisabled());
        assertEquals(2, cpu.preemptCount());
        b.unlockIrqRestore(cpu, fb);
        a.unlockIrqRestore(cpu, fa);
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void handlerReturningWithALockHeldIsHandlerLeak() {
        SpinLock a = newLock("a");
        LockMisuseException e = assertThrows(LockMisuseException.HandlerLeak.class,
                () -> cpu.run(ContextKind.HARDIRQ, "eth0", a::lock));
        assertNamesLockCpuContext(e, "a", "hardirq(eth0)");
        assertEquals(0, cpu.depth(), "the CPU is back in the interrupted task");
        assertEquals(0, cpu.preemptCount());
        assertFalse(cpu.irqsDisabled());
        assertEquals(hasState(), a.isLocked(), "the leaked lock stays locked, as in the kernel");
        assertTrue(cpu.heldLocks().contains("a (orphaned)"));
    }

    @Test
    void unlockWithPreemptCountZeroIsPreemptUnderflow() {
        SpinLock a = newLock("a");
        a.lock(cpu);
        cpu.preemptEnable(); // a bug inside the section
        LockMisuseException e = assertThrows(LockMisuseException.PreemptUnderflow.class, () -> a.unlock(cpu));
        assertNamesLockCpuContext(e, "a", "task");
        assertTrue(a.isHeldByCurrentContext(cpu));
        cpu.preemptDisable();
        a.unlock(cpu);
    }

    @Test
    void usingTheCpuFromAnotherThreadIsWrongThread() throws Exception {
        SpinLock a = newLock("a");
        a.lock(cpu);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                a.unlock(cpu);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "intruder");
        other.start();
        other.join();
        assertTrue(thrown.get() instanceof LockMisuseException.WrongThread, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("intruder"));
        assertTrue(a.isHeldByCurrentContext(cpu));
        a.unlock(cpu);
    }
}
