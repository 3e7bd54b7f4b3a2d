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

/** CONFIG_DEBUG_SPINLOCK on UP: what it reports, and the double ownership a nested lock() leaves. */
class DebugSpinlockTest {
    private final Machine m = Machine.builder().backend(UpBackend.create(UpMode.DEBUG)).build();
    private final Cpu cpu = m.cpu(0);
    private final SpinLock zone = m.newSpinLock("zone->lock");

    @Test
    void nestedLockReportsCpuRecursionAndLockupThenBothContextsOwnTheLock() {
        zone.lock(cpu);
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            zone.lock(c);
            assertTrue(zone.isHeldByCurrentContext(c));
            zone.unlock(c);
            assertTrue(zone.isLocked(), "the task still owns it after the handler's unlock");
        });
        KernelLog log = m.kernelLog();
        assertEquals(2, log.size(), log.toString());
        String recursion = log.entries().get(0).text();
        assertTrue(recursion.startsWith("BUG: spinlock cpu recursion on CPU#0, hardirq(eth0)"), recursion);
        assertTrue(recursion.contains("lock: zone->lock"), recursion);
        assertTrue(recursion.contains(".owner: task, .owner_cpu: 0"), recursion);
        assertTrue(log.entries().get(1).text().startsWith("BUG: spinlock lockup suspected on CPU#0, hardirq(eth0)"));
        assertEquals("hardirq", log.entries().get(0).context());
        assertEquals("task > hardirq(eth0)", log.entries().get(0).contextStack());
        assertTrue(zone.isHeldByCurrentContext(cpu));
        zone.unlock(cpu);
        assertFalse(zone.isLocked());
    }

    @Test
    void doubleOwnershipIsVisibleWhileBothHold() {
        zone.lock(cpu);
        cpu.run(ContextKind.NMI, "perf", c -> {
            zone.lock(c);
            assertTrue(zone.isHeldByCurrentContext(c));
            assertTrue(c.heldLocks().contains("zone->lock (task)"), c.heldLocks());
            assertTrue(c.heldLocks().contains("zone->lock (NMI(perf))"), c.heldLocks());
            zone.unlock(c);
        });
        zone.unlock(cpu);
    }

    @Test
    void trylockFailureReportNamesTheHolder() {
        zone.lock(cpu);
        cpu.run(ContextKind.PROBE, "bpf", c -> assertFalse(zone.tryLock(c)));
        zone.unlock(cpu);
        String text = m.kernelLog().entries().get(0).text();
        assertTrue(text.startsWith("BUG: spinlock trylock failure on UP on CPU#0, probe(bpf)"), text);
        assertTrue(text.contains(".owner: task"), text);
        assertTrue(text.contains("held locks: zone->lock (task)"), text);
    }
}
