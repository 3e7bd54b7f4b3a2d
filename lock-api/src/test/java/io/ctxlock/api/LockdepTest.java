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
}
