package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every public entry point, not one of each kind: each refuses a thread other than its CPU's, each
 * lock variant refuses a 49th held lock and each irqsave variant a 65th saved flag, and each unlock
 * variant refuses a lock that is not held, all leaving the CPU as it was.
 */
class EntryPointsTest {
    private final Machine m = TestMachines.up();
    private final Cpu cpu = m.cpu(0);
    private final SpinLock a = m.newSpinLock("a");
    private final LocalTryLock l = m.newLocalTryLock("l").of(0);

    /** Every operation of Cpu, SpinLock and LocalTryLock that a CPU's thread drives. */
    private Map<String, Consumer<Cpu>> entries() {
        Map<String, Consumer<Cpu>> e = new LinkedHashMap<>();
        e.put("preemptDisable", Cpu::preemptDisable);
        e.put("preemptEnable", Cpu::preemptEnable);
        e.put("localIrqDisable", Cpu::localIrqDisable);
        e.put("localIrqEnable", Cpu::localIrqEnable);
        e.put("localIrqSave", Cpu::localIrqSave);
        e.put("localIrqRestore", c -> c.localIrqRestore(3L));
        e.put("localBhDisable", Cpu::localBhDisable);
        e.put("localBhEnable", Cpu::localBhEnable);
        e.put("enter", c -> c.enter(ContextKind.NMI, "x"));
        e.put("exit", c -> c.exit(ContextKind.NMI));
        e.put("run", c -> c.run(ContextKind.NMI, "x", h -> { }));
        e.put("interruptPoint", c -> c.interruptPoint("p"));
        e.put("bindCurrentThread", Cpu::bindCurrentThread);
        e.put("unbindThread", Cpu::unbindThread);
        e.put("lock", a::lock);
        e.put("lockNested", c -> a.lockNested(c, 1));
        e.put("tryLock", a::tryLock);
        e.put("tryLockDetailed", a::tryLockDetailed);
        e.put("unlock", a::unlock);
        e.put("lockIrq", a::lockIrq);
        e.put("unlockIrq", a::unlockIrq);
        e.put("lockIrqSave", a::lockIrqSave);
        e.put("tryLockIrqSave", a::tryLockIrqSave);
        e.put("unlockIrqRestore", c -> a.unlockIrqRestore(c, 3L));
        e.put("unlockIrqRestore labelled", c -> a.unlockIrqRestore(c, 3L, "free_pcppages_bulk:irqrestore"));
        e.put("lockBh", a::lockBh);
        e.put("tryLockBh", a::tryLockBh);
        e.put("unlockBh", a::unlockBh);
        e.put("local tryLock", l::tryLock);
        e.put("local tryLockIrqSave", l::tryLockIrqSave);
        e.put("local lock", l::lock);
        e.put("local lockIrqSave", l::lockIrqSave);
        e.put("local unlock", l::unlock);
        e.put("local unlockIrqRestore", c -> l.unlockIrqRestore(c, 3L));
        return e;
    }

    @Test
    void everyEntryPointRefusesAThreadOtherThanItsCpus() throws Exception {
        cpu.bindCurrentThread();
        for (Map.Entry<String, Consumer<Cpu>> e : entries().entrySet()) {
            Throwable[] got = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    e.getValue().accept(cpu);
                } catch (Throwable x) {
                    got[0] = x;
                }
            });
            t.start();
            t.join();
            assertInstanceOf(LockMisuseException.WrongThread.class, got[0], e.getKey());
            assertEquals(0, cpu.preemptCount(), e.getKey());
            assertFalse(cpu.irqsDisabled(), e.getKey());
            assertEquals(0, cpu.depth(), e.getKey());
            assertFalse(a.isLocked(), e.getKey());
            assertFalse(l.isLocked(), e.getKey());
        }
    }

    @Test
    void everyLockVariantRefusesAFortyNinthHeldLock() {
        SpinLock[] held = new SpinLock[HeldLocks.MAX_LOCK_DEPTH];
        for (int i = 0; i < held.length; i++) {
            held[i] = m.newSpinLock("h" + i);
            held[i].lock(cpu);
        }
        Map<String, Consumer<Cpu>> lockers = new LinkedHashMap<>();
        for (String name : new String[] {"lock", "lockNested", "tryLock", "tryLockDetailed", "lockIrq", "lockIrqSave",
            "tryLockIrqSave", "lockBh", "tryLockBh", "local tryLock", "local tryLockIrqSave", "local lock",
            "local lockIrqSave"}) {
            lockers.put(name, entries().get(name));
        }
        int before = cpu.preemptCount();
        for (Map.Entry<String, Consumer<Cpu>> e : lockers.entrySet()) {
            assertThrows(LockMisuseException.NestingOverflow.class, () -> e.getValue().accept(cpu), e.getKey());
            assertEquals(before, cpu.preemptCount(), e.getKey());
            assertFalse(cpu.irqsDisabled(), e.getKey());
            assertFalse(a.isHeldByCurrentContext(cpu), e.getKey());
            assertFalse(l.isLocked(), e.getKey());
        }
        for (int i = held.length - 1; i >= 0; i--) {
            held[i].unlock(cpu);
        }
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void everyIrqsaveVariantRefusesASixtyFifthSavedFlag() {
        long[] flags = new long[IrqFlags.MAX_SAVED];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = cpu.localIrqSave();
        }
        Map<String, Consumer<Cpu>> savers = new LinkedHashMap<>();
        for (String name : new String[] {"localIrqSave", "lockIrqSave", "tryLockIrqSave", "local tryLockIrqSave",
            "local lockIrqSave"}) {
            savers.put(name, entries().get(name));
        }
        for (Map.Entry<String, Consumer<Cpu>> e : savers.entrySet()) {
            assertThrows(LockMisuseException.NestingOverflow.class, () -> e.getValue().accept(cpu), e.getKey());
            assertEquals(0, cpu.preemptCount(), e.getKey());
            assertFalse(a.isLocked(), e.getKey());
            assertFalse(l.isLocked(), e.getKey());
        }
        for (int i = flags.length - 1; i >= 0; i--) {
            cpu.localIrqRestore(flags[i]);
        }
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void everyUnlockVariantRefusesALockThatIsNotHeld() {
        for (String name : new String[] {"unlock", "unlockIrq", "unlockIrqRestore", "unlockIrqRestore labelled",
            "unlockBh", "local unlock",
            "local unlockIrqRestore"}) {
            LockMisuseException e = assertThrows(LockMisuseException.class, () -> entries().get(name).accept(cpu), name);
            assertTrue(e.getMessage().contains("CPU#0"), e.getMessage());
            assertEquals(0, cpu.preemptCount(), name);
            assertFalse(cpu.irqsDisabled(), name);
        }
    }

    /** The kernel's failed spin_trylock_irqsave() runs local_irq_restore(): interrupts on again, at a point. */
    @Test
    void aFailedTrylockIrqsaveWithInterruptsOnTurnsThemOnAgainAtAPoint() {
        java.util.List<String> points = new java.util.ArrayList<>();
        a.lock(cpu);
        m.setPointObserver((c, label, seq) -> points.add(label));
        assertEquals(SpinLock.TRYLOCK_FAILED, a.tryLockIrqSave(cpu), "the task holds it");
        assertFalse(cpu.irqsDisabled(), "the saved flag (on) was restored");
        assertEquals(1, points.size(), "the restore is an interrupt point: " + points);
        assertEquals(1, cpu.preemptCount(), "only the held lock's level is left");
        long[] f = new long[IrqFlags.MAX_SAVED]; // all 64 slots are free: the failed save left none behind
        for (int i = 0; i < f.length; i++) {
            f[i] = cpu.localIrqSave();
        }
        for (int i = f.length - 1; i >= 0; i--) {
            cpu.localIrqRestore(f[i]);
        }
        m.setPointObserver(null);
        a.unlock(cpu);
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void unlockIrqFreesTheLockAndTurnsInterruptsOnAtAPoint() {
        java.util.List<String> points = new java.util.ArrayList<>();
        m.setPointObserver((c, label, seq) -> points.add(label));
        a.lockIrq(cpu);
        assertTrue(cpu.irqsDisabled());
        a.unlockIrq(cpu);
        assertFalse(a.isLocked(), "spin_unlock_irq releases the lock");
        assertFalse(cpu.irqsDisabled());
        assertEquals(java.util.List.of("spin_unlock_irq"), points);
        assertEquals("SpinLock[a, unlocked]", a.toString());
        a.lock(cpu);
        assertEquals("SpinLock[a, locked]", a.toString());
        a.unlock(cpu);
        assertTrue(l.toString().startsWith("LocalTryLock[l@CPU0"), l.toString());
        assertEquals(0, l.cpuId());
        assertEquals(LockClass.of("l"), l.lockClass());
    }

    /**
     * With the preempt field one below full, spin_lock_bh fills it and spin_unlock_bh empties it
     * again: __local_bh_enable_ip() subtracts cnt - 1 = SOFTIRQ_DISABLE_OFFSET first, so only a
     * bare local_bh_enable (cnt - 1 adds a preempt level) can overflow it. (It used to throw after
     * releasing the word, leaving the bh-disable behind.)
     */
    @Test
    void theBhVariantsWorkWithThePreemptFieldOneBelowFull() {
        for (int i = 0; i < 254; i++) {
            cpu.preemptDisable();
        }
        a.lockBh(cpu);
        a.unlockBh(cpu);
        assertEquals(254, cpu.preemptCount());
        cpu.preemptEnable();
        a.lock(cpu); // 254: the failing trylock_bh fills the field
        assertFalse(a.tryLockBh(cpu), "the same context holds it");
        assertEquals(254, cpu.preemptCount(), "the failed trylock_bh gave back its offset");
        a.unlock(cpu);
        cpu.preemptDisable();
        cpu.preemptDisable(); // 255: a bare local_bh_enable could not add its transient level
        cpu.localBhDisable();
        assertInstanceOf(LockMisuseException.NestingOverflow.class, assertThrows(LockMisuseException.class,
                cpu::localBhEnable));
        assertEquals(255 + PreemptCount.SOFTIRQ_DISABLE_OFFSET, cpu.preemptCount(), "refused before any change");
    }
}
