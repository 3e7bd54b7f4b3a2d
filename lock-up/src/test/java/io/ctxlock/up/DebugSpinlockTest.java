package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelLog;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.junit.jupiter.api.Test;

/**
 * CONFIG_DEBUG_SPINLOCK on UP as since v4.11 (kernel/locking/spinlock_debug.c): spin_dump's two
 * lines, only the first report printed, and the one slock word a nested lock+unlock frees.
 */
class DebugSpinlockTest {
    private final Machine m = Machine.builder().backend(UpBackend.create(UpMode.DEBUG)).build();
    private final Cpu cpu = m.cpu(0);
    private final SpinLock zone = m.newSpinLock("zone->lock");

    @Test
    void nestedLockReportsRecursionInSpinDumpsTwoLinesAndProceedsWithoutALockupReport() {
        zone.lock(cpu);
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            zone.lock(c);
            assertTrue(zone.isHeldByCurrentContext(c));
            zone.unlock(c);
        });
        KernelLog log = m.kernelLog();
        assertEquals(1, log.size(), log.toString());
        String[] lines = log.entries().get(0).text().split("\n");
        assertEquals("BUG: spinlock recursion on CPU#0, task/1", lines[0], "owner == current is checked first");
        assertEquals(" lock: zone->lock, .magic: dead4ead, .owner: task/1, .owner_cpu: 0", lines[1]);
        assertEquals("task > hardirq(eth0)", log.entries().get(0).contextStack());
        assertFalse(log.contains("lockup suspected"));
        assertFalse(log.contains("cpu recursion"), "debug_locks is off after the first report");
        assertFalse(m.debugLocks());
        zone.unlock(cpu);
    }

    @Test
    void theNestedUnlockFreesTheOneWordUnderTheInterruptedHolder() {
        zone.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> {
            zone.lock(c);
            zone.unlock(c);
        });
        assertFalse(zone.isLocked(), "slock is 1 again although the task is still inside");
        assertTrue(zone.isHeldByCurrentContext(cpu), "the model still knows the task holds it");
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            assertTrue(zone.tryLock(c), "a later trylock succeeds");
            zone.unlock(c);
        });
        zone.unlock(cpu); // debug_spin_unlock(): "already unlocked", silent since debug_locks is off
        assertEquals(1, m.kernelLog().size(), m.kernelLog().toString());
        assertFalse(zone.isLocked());
    }

    @Test
    void onlyTheFirstReportPrintsAndItSwitchesTheValidatorOff() {
        Machine checked = Machine.builder().backend(UpBackend.create(UpMode.DEBUG)).lockdep(true).build();
        Cpu c0 = checked.cpu(0);
        SpinLock a = checked.newSpinLock("a");
        SpinLock b = checked.newSpinLock("b");
        a.lock(c0);
        c0.run(ContextKind.NMI, "perf", c -> assertFalse(a.tryLock(c)));
        c0.run(ContextKind.PROBE, "fentry/x", c -> assertFalse(a.tryLock(c)));
        a.unlock(c0);
        assertEquals(1, checked.kernelLog().size(), checked.kernelLog().toString());
        assertTrue(checked.kernelLog().entries().get(0).text().startsWith("BUG: spinlock trylock failure on UP on CPU#0, task/1"));
        b.lock(c0); // AB-BA would be a circular dependency, but lockdep is off now
        a.lock(c0);
        a.unlock(c0);
        b.unlock(c0);
        a.lock(c0);
        b.lock(c0);
        b.unlock(c0);
        a.unlock(c0);
        assertEquals(1, checked.kernelLog().size(), checked.kernelLog().toString());
        assertEquals(0, checked.lockdep().reports().size());
    }

    @Test
    void noReportPrintsIfLockdepSwitchedDebugLocksOffFirst() {
        assertTrue(m.debugLocksOff());
        zone.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> assertFalse(zone.tryLock(c)));
        zone.unlock(cpu);
        assertEquals(0, m.kernelLog().size(), m.kernelLog().toString());
    }

    @Test
    void trylockFailureReportNamesTheOwner() {
        zone.lock(cpu);
        cpu.run(ContextKind.PROBE, "bpf", c -> assertFalse(zone.tryLock(c)));
        zone.unlock(cpu);
        String text = m.kernelLog().entries().get(0).text();
        assertTrue(text.startsWith("BUG: spinlock trylock failure on UP on CPU#0, task/1\n"
                + " lock: zone->lock, .magic: dead4ead, .owner: task/1, .owner_cpu: 0"), text);
        assertTrue(text.contains("held locks: zone->lock (task)"), text);
    }

    @Test
    void theTrylockFailureIsReportedInsideTheTrylockWithItsPreemptDisable() {
        zone.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> assertFalse(zone.tryLock(c)));
        zone.unlock(cpu);
        String text = m.kernelLog().entries().get(0).text();
        // SPIN_BUG_ON(!ret, ...) sits in do_raw_spin_trylock(), between preempt_disable() and the
        // preempt_enable() of the failure: the task's hold, nmi_enter()'s offsets, the trylock's own
        assertTrue(text.contains("preempt_count=0x00110002 (preempt=2 softirq=0x0 hardirq=1 nmi=1)"), text);
    }
}
