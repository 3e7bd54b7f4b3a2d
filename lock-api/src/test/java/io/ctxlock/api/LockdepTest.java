package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.contract.ReferenceBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock validator: one minimal example per report kind, and the kernel's expectations. */
class LockdepTest {
    private final Machine m = Machine.builder().backend(new ReferenceBackend()).lockdep(true).build();
    private final Cpu cpu = m.cpu(0);

    private List<String> reports() {
        return m.lockdep().reports();
    }

    @Test
    void isOffByDefault() {
        Machine plain = Machine.builder().backend(new ReferenceBackend()).build();
        assertNull(plain.lockdep());
    }

    @Test
    void thePcpPatternIsClean() {
        SpinLock pcp = m.newSpinLock("pcp->lock");
        pcp.lock(cpu); // task, interrupts enabled: {HARDIRQ-ON-W}
        cpu.run(ContextKind.HARDIRQ, "free_pages", c -> {
            if (pcp.tryLock(c)) { // a trylock in hardirq does not mark {IN-HARDIRQ-W}
                pcp.unlock(c);
            }
        });
        pcp.unlock(cpu);
        cpu.run(ContextKind.HARDIRQ, "free_pages", c -> {
            assertTrue(pcp.tryLock(c));
            pcp.unlock(c);
        });
        assertEquals(List.of(), reports());
    }

    @Test
    void aLockTakenInHardirqAndWithInterruptsOnIsInconsistentLockState() {
        SpinLock zone = m.newSpinLock("zone->lock");
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            zone.lock(c);
            zone.unlock(c);
        });
        zone.lock(cpu); // interrupts enabled: the hardirq could now deadlock on it
        zone.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        String r = reports().get(0);
        assertTrue(r.contains("WARNING: inconsistent lock state"), r);
        assertTrue(r.contains("inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage."), r);
        assertTrue(r.contains("{IN-HARDIRQ-W} state was registered at:\n  task > hardirq(eth0) on CPU#0"), r);
        zone.lock(cpu);
        zone.unlock(cpu);
        assertEquals(1, reports().size(), "once per class");
        assertTrue(m.kernelLog().contains("inconsistent lock state"));
    }

    @Test
    void theSameIsTrueTheOtherWayRoundAndWithIrqsaveItIsClean() {
        SpinLock a = m.newSpinLock("a");
        SpinLock b = m.newSpinLock("b");
        a.lock(cpu);
        a.unlock(cpu);
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            a.lock(c);
            a.unlock(c);
            b.lock(c);
            b.unlock(c);
        });
        long f = b.lockIrqSave(cpu);
        b.unlockIrqRestore(cpu, f);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("{HARDIRQ-ON-W} -> {IN-HARDIRQ-W}"));
    }

    @Test
    void aDoubleLockOfOneClassIsRecursionUnlessNested() {
        SpinLock a1 = m.newSpinLock("inode#1", LockClass.of("inode->i_lock"));
        SpinLock a2 = m.newSpinLock("inode#2", LockClass.of("inode->i_lock"));
        a1.lock(cpu);
        a2.lockNested(cpu, 1);
        a2.unlock(cpu);
        assertEquals(List.of(), reports());
        a2.lock(cpu);
        assertEquals(1, reports().size());
        assertTrue(reports().get(0).contains("possible recursive locking detected"), reports().get(0));
        assertTrue(reports().get(0).contains("inode#1"));
        a2.unlock(cpu);
        a1.unlock(cpu);
        assertThrows(IllegalArgumentException.class, () -> a1.lockNested(cpu, 8));
    }

    @Test
    void abThenBaIsACircularDependency() {
        SpinLock a = m.newSpinLock("A");
        SpinLock b = m.newSpinLock("B");
        a.lock(cpu);
        b.lock(cpu);
        b.unlock(cpu);
        a.unlock(cpu);
        assertEquals(List.of(), reports());
        b.lock(cpu);
        a.lock(cpu);
        a.unlock(cpu);
        b.unlock(cpu);
        assertEquals(1, reports().size());
        String r = reports().get(0);
        assertTrue(r.contains("possible circular locking dependency detected"), r);
        assertTrue(r.contains("-> (A) -> (B)"), r);
        assertTrue(r.contains("-> (B) -> (A)  now"), r);
    }

    @Test
    void aTrylockAddsNoDependency() {
        SpinLock a = m.newSpinLock("A");
        SpinLock b = m.newSpinLock("B");
        a.lock(cpu);
        assertTrue(b.tryLock(cpu));
        b.unlock(cpu);
        a.unlock(cpu);
        b.lock(cpu);
        a.lock(cpu);
        a.unlock(cpu);
        b.unlock(cpu);
        assertEquals(List.of(), reports());
    }

    @Test
    void lockInNmiIsReportedOnlyAsVerifyLockUnusedDoes() {
        SpinLock fresh = m.newSpinLock("fresh");
        SpinLock used = m.newSpinLock("used");
        used.lock(cpu);
        used.unlock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> {
            assertTrue(used.tryLock(c));
            used.unlock(c);
            fresh.lock(c); // never used outside NMI: lockdep has nothing to say
            fresh.unlock(c);
        });
        assertEquals(List.of(), reports());
        cpu.run(ContextKind.NMI, "perf", c -> {
            used.lock(c);
            used.unlock(c);
        });
        assertEquals(1, reports().size());
        String r = reports().get(0);
        assertTrue(r.contains("WARNING: inconsistent lock state"), r);
        assertTrue(r.contains("inconsistent {INITIAL USE} -> {IN-NMI} usage."), r);
    }

    @Test
    void interruptsReEnabledWhileALockIsHeldMarkItHardirqOn() {
        SpinLock a = m.newSpinLock("a");
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            a.lock(c);
            a.unlock(c);
        });
        cpu.localIrqDisable();
        a.lock(cpu); // irqs off: not HARDIRQ-ON-W yet
        assertEquals(List.of(), reports());
        cpu.localIrqEnable(); // mark_held_locks(): now it is
        a.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage."), reports().get(0));
    }

    @Test
    void bottomHalvesReEnabledWhileALockIsHeldMarkItSoftirqOn() {
        SpinLock a = m.newSpinLock("a");
        cpu.run(ContextKind.SOFTIRQ, "NET_RX", c -> {
            a.lock(c);
            a.unlock(c);
        });
        cpu.localBhDisable();
        a.lock(cpu);
        assertEquals(List.of(), reports());
        cpu.localBhEnable(); // lockdep_softirqs_on() -> mark_held_locks()
        a.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage."), reports().get(0));
    }

    @Test
    void aNewDependencyFromAnIrqSafeToAnIrqUnsafeLockIsReported() {
        SpinLock safe = m.newSpinLock("safe");
        SpinLock unsafe = m.newSpinLock("unsafe");
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            safe.lock(c);
            safe.unlock(c);
        });
        unsafe.lock(cpu); // irqs on: HARDIRQ-unsafe
        unsafe.unlock(cpu);
        assertEquals(List.of(), reports());
        long f = safe.lockIrqSave(cpu);
        unsafe.lock(cpu); // safe -> unsafe: the hardirq could deadlock against a holder of unsafe
        unsafe.unlock(cpu);
        safe.unlockIrqRestore(cpu, f);
        assertEquals(1, reports().size(), reports().toString());
        String r = reports().get(0);
        assertTrue(r.contains("WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected"), r);
        assertTrue(r.contains("which would create a new lock dependency:\n (safe) -> (unsafe)"), r);
    }

    @Test
    void aLockThatBecomesIrqSafeAfterTakingAnIrqUnsafeOneIsAnInversion() {
        SpinLock a = m.newSpinLock("a");
        SpinLock b = m.newSpinLock("b");
        long f = a.lockIrqSave(cpu);
        b.lock(cpu); // a -> b, both irqs off
        b.unlock(cpu);
        a.unlockIrqRestore(cpu, f);
        b.lock(cpu); // b: HARDIRQ-ON-W
        b.unlock(cpu);
        assertEquals(List.of(), reports());
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> { // a gains IN-HARDIRQ-W, and a -> b
            a.lock(c);
            a.unlock(c);
        });
        assertEquals(1, reports().size(), reports().toString());
        String r = reports().get(0);
        assertTrue(r.contains("WARNING: possible irq lock inversion dependency detected"), r);
        assertTrue(r.contains("but this lock took another, HARDIRQ-unsafe lock in the past:\n (b)"), r);
    }

    @Test
    void aSoftirqUnsafeLockGainingItsUsageAfterASafeOneTookItIsAnInversionToo() {
        SpinLock a = m.newSpinLock("a");
        SpinLock b = m.newSpinLock("b");
        cpu.localBhDisable();
        a.lock(cpu);
        b.lock(cpu); // a -> b; b is HARDIRQ-ON-W, not SOFTIRQ-ON-W (bottom halves off)
        b.unlock(cpu);
        a.unlock(cpu);
        cpu.localBhEnable();
        cpu.run(ContextKind.SOFTIRQ, "NET_RX", c -> { // a: IN-SOFTIRQ-W; b after it is not softirq-unsafe yet
            a.lock(c);
            a.unlock(c);
        });
        assertEquals(List.of(), reports());
        cpu.localIrqDisable();
        b.lock(cpu);
        cpu.localIrqEnable(); // now b is SOFTIRQ-ON-W (and HARDIRQ-ON-W), and a took it
        b.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        String r = reports().get(0);
        assertTrue(r.contains("possible irq lock inversion dependency detected"), r);
        assertTrue(r.contains("but this lock was taken by another, SOFTIRQ-safe lock in the past:\n (a)"), r);
    }

    @Test
    void aLockTakenWhileATrylockedLockIsHeldDependsOnIt() {
        SpinLock a = m.newSpinLock("A");
        SpinLock b = m.newSpinLock("B");
        assertTrue(a.tryLock(cpu));
        b.lock(cpu); // A -> B although A was trylocked
        b.unlock(cpu);
        a.unlock(cpu);
        b.lock(cpu);
        a.lock(cpu);
        a.unlock(cpu);
        b.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("possible circular locking dependency detected"));
    }

    /** check_prevs_add(): the walk back stops after the first non-trylock entry, not at a trylocked one. */
    @Test
    void aTrylockedLockHeldOnTopDoesNotEndTheChainTheLockBelowItGainsTheDependencyToo() {
        SpinLock a = m.newSpinLock("A");
        SpinLock b = m.newSpinLock("B");
        SpinLock c = m.newSpinLock("C");
        a.lock(cpu);
        assertTrue(b.tryLock(cpu));
        c.lock(cpu); // B -> C, and A -> C since B was a trylock
        c.unlock(cpu);
        b.unlock(cpu);
        a.unlock(cpu);
        assertTrue(reports().isEmpty(), reports().toString());
        c.lock(cpu);
        a.lock(cpu); // C -> A closes A -> C
        a.unlock(cpu);
        c.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("possible circular locking dependency detected"), reports().get(0));
        assertTrue(reports().get(0).contains("-> (A) -> (C)"), reports().get(0));
    }

    @Test
    void aLockTakenWithBottomHalvesOnInTaskAndThenInASoftirqIsInconsistentLockState() {
        SpinLock a = m.newSpinLock("a");
        a.lock(cpu); // task, irqs and bottom halves on: {SOFTIRQ-ON-W} at the acquisition
        a.unlock(cpu);
        assertTrue(reports().isEmpty(), reports().toString());
        cpu.run(ContextKind.SOFTIRQ, "NET_RX", c -> {
            a.lock(c);
            a.unlock(c);
        });
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage."), reports().get(0));
    }

    @Test
    void aDependencyBetweenTwoIrqSafeLocksIsClean() {
        SpinLock a = m.newSpinLock("a");
        SpinLock b = m.newSpinLock("b");
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            a.lock(c);
            b.lock(c); // a -> b, both IN-HARDIRQ-W, neither ever taken with interrupts on
            b.unlock(c);
            a.unlock(c);
        });
        long f = a.lockIrqSave(cpu);
        b.lock(cpu);
        b.unlock(cpu);
        a.unlockIrqRestore(cpu, f);
        assertTrue(reports().isEmpty(), reports().toString());
    }

    @Test
    void anUnlockOfALockNotHeldIsBadUnlockBalance() {
        SpinLock a = m.newSpinLock("a");
        assertThrows(LockMisuseException.NotLocked.class, () -> a.unlock(cpu));
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("WARNING: bad unlock balance detected!"), reports().get(0));
        assertTrue(reports().get(0).contains("but there are no more locks to release!"), reports().get(0));
    }

    @Test
    void onlyTheFirstReportOfAMachinePrintsAndLockdepIsOffAfterIt() {
        SpinLock a = m.newSpinLock("a");
        SpinLock b = m.newSpinLock("b");
        assertThrows(LockMisuseException.NotLocked.class, () -> a.unlock(cpu));
        a.lock(cpu);
        b.lock(cpu);
        b.unlock(cpu);
        a.unlock(cpu);
        b.lock(cpu);
        a.lock(cpu); // a cycle, but debug_locks is off
        a.unlock(cpu);
        b.unlock(cpu);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(!m.debugLocks());
    }

    @Test
    void aNewDependencyFromASoftirqSafeToASoftirqUnsafeLockIsReported() {
        SpinLock safe = m.newSpinLock("safe");
        SpinLock unsafe = m.newSpinLock("unsafe");
        cpu.run(ContextKind.SOFTIRQ, "NET_RX", c -> {
            safe.lock(c);
            safe.unlock(c);
        });
        cpu.localIrqDisable();
        unsafe.lock(cpu); // softirqs on, interrupts off: SOFTIRQ-unsafe only when irqs come back on
        cpu.localIrqEnable();
        unsafe.unlock(cpu);
        assertEquals(List.of(), reports());
        safe.lockBh(cpu);
        unsafe.lock(cpu); // safe -> unsafe with bottom halves off
        unsafe.unlock(cpu);
        safe.unlockBh(cpu);
        assertEquals(1, reports().size(), reports().toString());
        assertTrue(reports().get(0).contains("WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"),
                reports().get(0));
    }
}
