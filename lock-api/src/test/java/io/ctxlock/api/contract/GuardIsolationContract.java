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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The second half of {@link SpinLockContract}: guards, PREEMPT_RT, isolation between machines and
 * the allocation contract. A backend extends {@code SpinLockContract}, which inherits these.
 */
public abstract class GuardIsolationContract extends ContractFixture {
    // ---- guards, PREEMPT_RT, isolation, allocation ----

    @Test
    void guardsUnlockOnCloseAndTryGuardIsNullWhenTheTrylockFails() {
        SpinLock a = newLock("a");
        try (LockGuard g = a.guardIrqSave(cpu)) {
            assertTrue(cpu.irqsDisabled());
            assertTrue(a.isHeldByCurrentContext(cpu));
            assertNull(a.tryGuard(cpu), "same-context trylock fails");
            cpu.run(ContextKind.NMI, "perf", c -> {
                try (LockGuard n = a.tryGuard(c)) {
                    assertEquals(nested() == Nested.SUCCEEDS, n != null);
                }
            });
        }
        assertFalse(cpu.irqsDisabled());
        assertEquals(0, cpu.preemptCount());
        LockGuard g = a.tryGuard(cpu);
        assertNotNull(g);
        g.close();
        assertThrows(IllegalStateException.class, g::close);
    }

    @Test
    void preemptRtTrylockHasNoContextPolicyButLockInNmiIsRefused() {
        Machine rt = machine(true);
        Cpu c0 = rt.cpu(0);
        SpinLock a = rt.newSpinLock("a", lockClass("a"));
        c0.run(ContextKind.HARDIRQ, "timer", c -> {
            assertEquals(TryResult.ACQUIRED, a.tryLockDetailed(c), "rt_spin_trylock() looks at the lock only");
            a.unlock(c);
            a.lock(c); // a force-threaded handler may take the sleeping lock
            a.unlock(c);
        });
        a.lock(c0);
        c0.run(ContextKind.NMI, "perf", c -> {
            int before = c.preemptCount();
            TryResult r = a.tryLockDetailed(c);
            assertEquals(hasState() ? TryResult.NESTED : TryResult.ACQUIRED, r, "as the backend's word decides");
            if (r.acquired()) {
                a.unlock(c);
            }
            assertEquals(before, c.preemptCount());
            LockMisuseException e = assertThrows(LockMisuseException.InvalidContext.class, () -> a.lock(c));
            assertNamesLockCpuContext(rt, e, "a", "NMI(perf)");
            assertEquals(before, c.preemptCount());
        });
        a.unlock(c0);
    }

    @Test
    void aStaleGuardClosedAgainAfterItsSlotWasReusedThrowsAndUnlocksNothing() {
        SpinLock a = newLock("a");
        SpinLock b = newLock("b");
        LockGuard first = a.guard(cpu);
        first.close();
        LockGuard second = b.guard(cpu); // the same held-lock slot as the first
        assertThrows(IllegalStateException.class, first::close, "closing twice throws");
        assertTrue(b.isHeldByCurrentContext(cpu), "the stale guard did not unlock another lock");
        second.close();
        assertFalse(b.isHeldByCurrentContext(cpu));
    }

    @Test
    void everyGuardUndoesExactlyWhatItsLockDid() {
        SpinLock a = newLock("a");
        try (LockGuard g = a.guard(cpu)) {
            assertEquals(a, g.lock());
            assertEquals(1, cpu.preemptCount());
            assertFalse(cpu.irqsDisabled());
        }
        try (LockGuard g = a.guardIrq(cpu)) {
            assertTrue(cpu.irqsDisabled());
        }
        assertFalse(cpu.irqsDisabled(), "guard(spinlock_irq) turns interrupts back on");
        cpu.localIrqDisable();
        try (LockGuard g = a.tryGuardIrqSave(cpu)) {
            assertEquals(a, g.lock());
        }
        assertTrue(cpu.irqsDisabled(), "guard(spinlock_try_irqsave) restores the flag it saved: off");
        cpu.localIrqEnable();
        a.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> {
            LockGuard g = a.tryGuardIrqSave(c);
            if (hasState()) {
                assertEquals(null, g, "the nested trylock fails: no guard");
            } else {
                g.close(); // the stateless word lets it in
            }
        });
        a.unlock(cpu);
        assertEquals(0, cpu.preemptCount());
        assertFalse(a.isHeldByCurrentContext(cpu));
    }

    @Test
    void twoMachinesNeverInterfere() {
        SpinLock a = newLock("a");
        Machine other = machine(false);
        Cpu b0 = other.cpu(0);
        SpinLock twin = other.newSpinLock("a", lockClass("a"));
        a.lock(cpu);
        assertEquals(0, b0.preemptCount(), "the other machine's CPU is untouched");
        assertEquals("none", b0.heldLocks());
        assertFalse(twin.isLocked(), "the twin has a word of its own (or none at all)");
        assertEquals(TryResult.ACQUIRED, twin.tryLockDetailed(b0));
        assertEquals("a (task)", cpu.heldLocks(), "the twin's hold is not this machine's");
        assertEquals(1, cpu.preemptCount());
        twin.unlock(b0);
        assertThrows(LockMisuseException.WrongMachine.class, () -> twin.lock(cpu), "and no CPU crosses over");
        assertTrue(a.isHeldByCurrentContext(cpu));
        a.unlock(cpu);
        assertEquals(0, other.kernelLog().size(), other.kernelLog().toString());
        assertTrue(m.kernelLog().contains("of another machine"), "the splat goes to the crossing CPU's log");
    }

    /** Tagged so that mutation testing, whose instrumentation allocates, leaves it out. */
    @Test
    @Tag("allocation")
    void lockPathsAllocateNothing() {
        SpinLock a = newLock("a");
        SpinLock b = newLock("b");
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int round = 0; round < 2; round++) { // round 0 warms up; round 1 is measured
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20_000; i++) {
                a.lock(cpu);
                b.tryLock(cpu);
                b.unlock(cpu);
                long f = b.lockIrqSave(cpu);
                b.unlockIrqRestore(cpu, f);
                a.unlock(cpu);
                a.lockBh(cpu);
                cpu.interruptPoint("inside");
                a.unlockBh(cpu);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (round == 1) {
                assertTrue(allocated < 1024, "lock paths allocated " + allocated + " bytes in 20000 rounds");
            }
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            try (LockGuard g = a.guardBh(cpu)) {
                cpu.interruptPoint("inside");
            }
        }
        long perGuard = (mx.getThreadAllocatedBytes(tid) - before) / 1000;
        assertTrue(perGuard <= 64, "a guard is one small object per hold (unless escape analysis removes it): "
                + perGuard + " bytes");
    }
}
