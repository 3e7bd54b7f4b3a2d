package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Misuse of a CPU's own state, and misuse across CPUs: each a named splat, nothing changed. */
class CpuMisuseTest {
    private final Machine m = TestMachines.up();
    private final Cpu cpu = m.cpu(0);

    private static void assertSplat(LockMisuseException e, String lock, String context, String text) {
        assertEquals(lock, e.lockName());
        assertEquals(context, e.context());
        assertTrue(e.getMessage().contains("CPU#" + e.cpu()), e.getMessage());
        assertTrue(e.getMessage().contains(context), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void preemptEnableAtZeroIsPreemptUnderflow() {
        LockMisuseException e = assertThrows(LockMisuseException.PreemptUnderflow.class, cpu::preemptEnable);
        assertSplat(e, "-", "task", "preempt_count underflow");
        assertEquals(0, cpu.preemptCount());
        assertTrue(m.kernelLog().contains("BUG: preempt_count underflow on CPU#0, task"));
    }

    @Test
    void localBhEnableWithoutDisableIsUnderflow() {
        cpu.preemptDisable();
        assertThrows(LockMisuseException.PreemptUnderflow.class, cpu::localBhEnable);
        assertEquals(1, cpu.preemptCount());
        cpu.preemptEnable();
    }

    @Test
    void leavingAContextOutOfOrderIsContextOrder() {
        cpu.enter(ContextKind.HARDIRQ, "eth0");
        cpu.enter(ContextKind.NMI, "perf");
        int before = cpu.preemptCount();
        LockMisuseException e = assertThrows(LockMisuseException.ContextOrder.class,
                () -> cpu.exit(ContextKind.HARDIRQ));
        assertSplat(e, "-", "NMI(perf)", "leaving hardirq while running NMI(perf)");
        assertEquals(before, cpu.preemptCount());
        assertEquals(2, cpu.depth());
        cpu.exit(ContextKind.NMI);
        cpu.exit(ContextKind.HARDIRQ);
        assertThrows(LockMisuseException.ContextOrder.class, () -> cpu.exit(ContextKind.TASK));
    }

    @Test
    void flagsSavedByAHandlerThatReturnedDieWithItAndNeverFillTheSaveStack() {
        long[] leaked = new long[1];
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> leaked[0] = c.localIrqSave()); // returns without the restore
        assertFalse(cpu.irqsDisabled(), "the return from interrupt restored the flag anyway");
        cpu.run(ContextKind.HARDIRQ, "eth1", c -> {
            LockMisuseException e = assertThrows(LockMisuseException.BadIrqFlags.class,
                    () -> c.localIrqRestore(leaked[0]));
            assertSplat(e, "-", "hardirq(eth1)", "not saved by the matching local_irq_save");
        });
        for (int i = 0; i < IrqFlags.MAX_SAVED + 1; i++) { // one more than the stack holds
            cpu.run(ContextKind.HARDIRQ, "eth" + i, Cpu::localIrqSave);
        }
        long f = cpu.localIrqSave();
        cpu.localIrqRestore(f);
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void handlerReturningWithContextsStillOpenIsContextOrder() {
        assertThrows(LockMisuseException.ContextOrder.class,
                () -> cpu.run(ContextKind.HARDIRQ, "eth0", c -> c.enter(ContextKind.NMI, "perf")));
        assertEquals(0, cpu.depth());
        assertEquals(0, cpu.preemptCount());
        assertFalse(cpu.irqsDisabled());
    }

    @Test
    void handlerLeakingPreemptDisableIsHandlerLeak() {
        LockMisuseException e = assertThrows(LockMisuseException.HandlerLeak.class,
                () -> cpu.run(ContextKind.SOFTIRQ, "TASKLET", Cpu::preemptDisable));
        assertSplat(e, "-", "softirq(TASKLET)", "preempt_count leak");
        assertEquals(0, cpu.preemptCount());
        assertEquals(0, cpu.depth());
    }

    @Test
    void explicitExitWhileHoldingALockIsHandlerLeakAndLeavesTheContextOpen() {
        SpinLock a = m.newSpinLock("a");
        cpu.enter(ContextKind.NMI, "perf");
        a.lock(cpu);
        LockMisuseException e = assertThrows(LockMisuseException.HandlerLeak.class, () -> cpu.exit(ContextKind.NMI));
        assertSplat(e, "a", "NMI(perf)", "held on return from NMI(perf)");
        assertEquals(1, cpu.depth());
        a.unlock(cpu);
        cpu.exit(ContextKind.NMI);
        assertEquals(0, cpu.preemptCount());
    }

    @Test
    void localIrqRestoreWithFlagsFromAnotherContextIsBadIrqFlags() {
        long flags = cpu.localIrqSave();
        cpu.run(ContextKind.NMI, "perf", c -> {
            LockMisuseException e = assertThrows(LockMisuseException.BadIrqFlags.class, () -> c.localIrqRestore(flags));
            assertSplat(e, "-", "NMI(perf)", "not saved by the matching local_irq_save");
        });
        assertTrue(cpu.irqsDisabled());
        cpu.localIrqRestore(flags);
        assertFalse(cpu.irqsDisabled());
        assertThrows(LockMisuseException.BadIrqFlags.class, () -> cpu.localIrqRestore(flags), "a token restores once");
    }

    @Test
    void unlockFromAnotherCpuIsWrongCpu() {
        Machine two = TestMachines.withCpus(2);
        SpinLock a = two.newSpinLock("a");
        a.lock(two.cpu(0));
        LockMisuseException e = assertThrows(LockMisuseException.WrongCpu.class, () -> a.unlock(two.cpu(1)));
        assertEquals(1, e.cpu());
        assertSplat(e, "a", "task", "wrong CPU");
        assertTrue(e.getMessage().contains(".owner_cpu: 0"), e.getMessage());
        assertEquals(0, two.cpu(1).preemptCount());
        assertTrue(a.isHeldByCurrentContext(two.cpu(0)));
        a.unlock(two.cpu(0));
    }

    @Test
    void aFullMailboxIsMailboxFullAndQueuesNothing() {
        Machine small = Machine.builder().backend(new io.ctxlock.api.contract.ReferenceBackend()).mailboxCapacity(2).build();
        Cpu c0 = small.cpu(0);
        int[] ran = new int[1];
        Interrupt nmi = Interrupt.nmi("perf", c -> ran[0]++);
        c0.raise(nmi);
        c0.raise(nmi);
        assertThrows(LockMisuseException.MailboxFull.class, () -> c0.raise(nmi));
        c0.interruptPoint("drain");
        assertEquals(2, ran[0]);
    }

    @Test
    void machineRefusesMoreCpusThanItsBackendSupports() {
        assertThrows(IllegalArgumentException.class,
                () -> Machine.builder().backend(new io.ctxlock.api.contract.ReferenceBackend()).cpus(9).build());
        assertThrows(IllegalStateException.class, () -> Machine.builder().build());
    }

    @Test
    void aCpuOfAnotherMachineCannotUseThisMachinesLocks() {
        Machine other = TestMachines.up();
        Cpu stranger = other.cpu(0);
        SpinLock a = m.newSpinLock("a");
        LocalTryLock l = m.newLocalTryLock("l").of(0);
        for (Runnable op : new Runnable[] {() -> a.lock(stranger), () -> a.tryLock(stranger),
            () -> a.lockIrqSave(stranger), () -> a.lockBh(stranger), () -> l.tryLock(stranger),
            () -> l.lockIrqSave(stranger)}) {
            LockMisuseException e = assertThrows(LockMisuseException.WrongMachine.class, op::run);
            assertTrue(e.getMessage().contains("CPU#0 of another machine"), e.getMessage());
            assertEquals(0, stranger.preemptCount());
            assertFalse(stranger.irqsDisabled());
            assertEquals("none", stranger.heldLocks());
        }
        a.lock(cpu);
        assertThrows(LockMisuseException.WrongMachine.class, () -> a.unlock(stranger));
        assertTrue(a.isHeldByCurrentContext(cpu), "the hold is untouched");
        a.unlock(cpu);
    }

    @Test
    void aFrameNameOfAFramePoppedUnderAReaderIsAQuestionMarkNotANullPointer() {
        assertEquals("?", cpu.frames.name(5), "frame 5 was never pushed: what a racing reader can see");
        cpu.run(ContextKind.NMI, "perf", c -> assertEquals("NMI(perf)", c.frames.name(1)));
    }

    @Test
    void theFortyNinthHeldLockAndTheSixtyFifthSavedFlagsAreNestingOverflowChangingNothing() {
        SpinLock[] locks = new SpinLock[HeldLocks.MAX_LOCK_DEPTH + 1];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = m.newSpinLock("l" + i);
        }
        for (int i = 0; i < HeldLocks.MAX_LOCK_DEPTH; i++) {
            locks[i].lock(cpu);
        }
        int before = cpu.preemptCount();
        LockMisuseException e = assertThrows(LockMisuseException.NestingOverflow.class,
                () -> locks[HeldLocks.MAX_LOCK_DEPTH].lock(cpu));
        assertTrue(e.getMessage().contains("l" + HeldLocks.MAX_LOCK_DEPTH), e.getMessage());
        assertEquals(before, cpu.preemptCount());
        assertFalse(locks[HeldLocks.MAX_LOCK_DEPTH].isHeldByCurrentContext(cpu));
        for (int i = HeldLocks.MAX_LOCK_DEPTH - 1; i >= 0; i--) {
            locks[i].unlock(cpu);
        }
        long[] flags = new long[IrqFlags.MAX_SAVED];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = cpu.localIrqSave();
        }
        assertThrows(LockMisuseException.NestingOverflow.class, cpu::localIrqSave);
        for (int i = flags.length - 1; i >= 0; i--) {
            cpu.localIrqRestore(flags[i]);
        }
        assertFalse(cpu.irqsDisabled(), "every save restored: nothing was left behind by the refused one");
    }

    @Test
    void unbindThreadHandsTheCpuToAnotherThreadAndTheFirstOneIsThenRefused() throws Exception {
        cpu.preemptDisable();
        cpu.preemptEnable(); // this thread is bound now
        cpu.unbindThread();
        Throwable[] other = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                cpu.preemptDisable(); // binds the new thread
                cpu.preemptEnable();
            } catch (Throwable x) {
                other[0] = x;
            }
        });
        t.start();
        t.join();
        assertEquals(null, other[0]);
        LockMisuseException e = assertThrows(LockMisuseException.WrongThread.class, cpu::preemptDisable);
        assertTrue(e.getMessage().contains("while bound to thread"), e.getMessage());
    }
}
