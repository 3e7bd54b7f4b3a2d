package io.ctxlock.api;

import io.ctxlock.api.spi.OwnerTag;

/**
 * One CPU's instance of a per-CPU {@code local_trylock_t} ({@code include/linux/local_lock_internal.h}):
 * the lock that does work on UP, because it carries its own {@code acquired} state whatever the
 * spinlock backend. Its trylock fails only when the same CPU is already inside a section on it
 * (the interrupted code, or the caller itself); under PREEMPT_RT it also fails in NMI and hardirq.
 * Get the instances from {@link Machine#newLocalTryLock}; using another CPU's instance is
 * {@link LockMisuseException.WrongCpu}.
 *
 * <p>As in the kernel, {@link #lock}/{@link #tryLock} disable preemption and the irqsave variants
 * disable interrupts instead (no preempt_disable); {@link #lock} on an acquired instance is the
 * kernel's {@code lockdep_assert(!tl->acquired)}, here {@link LockMisuseException.Recursion}.
 * On RT the model keeps these semantics plus the context policy; the per-CPU spinlock and
 * {@code migrate_disable()} of RT are not modeled.
 *
 * <p><b>Memory ordering:</b> none needed; the state is only ever touched by its own CPU's thread
 * (the kernel uses {@code READ_ONCE}/{@code WRITE_ONCE} against compiler tearing only). A failed
 * trylock changes nothing but what its irqsave variant saved and restored.
 */
public final class LocalTryLock extends LocalTryLockState implements KernelLock {
    private final String name;
    private final LockClass lockClass;
    private final int cpuId;
    private final Machine machine; // the machine that made it; only its CPUs may use it
    final int id; // machine-wide id, what the held-lock stack and the flags stack record
    // 128 bytes after ownerDepth (in LocalTryLockState), so that whatever is allocated next shares no line with it
    @SuppressWarnings("unused")
    private long q0;
    @SuppressWarnings("unused")
    private long q1;
    @SuppressWarnings("unused")
    private long q2;
    @SuppressWarnings("unused")
    private long q3;
    @SuppressWarnings("unused")
    private long q4;
    @SuppressWarnings("unused")
    private long q5;
    @SuppressWarnings("unused")
    private long q6;
    @SuppressWarnings("unused")
    private long q7;
    @SuppressWarnings("unused")
    private long q8;
    @SuppressWarnings("unused")
    private long q9;
    @SuppressWarnings("unused")
    private long q10;
    @SuppressWarnings("unused")
    private long q11;
    @SuppressWarnings("unused")
    private long q12;
    @SuppressWarnings("unused")
    private long q13;
    @SuppressWarnings("unused")
    private long q14;
    @SuppressWarnings("unused")
    private long q15;

    /** The interrupt point of a failed {@code local_trylock_irqsave()} (its {@code local_irq_restore()}). */
    static final String TRY_IRQSAVE_FAIL = "local_trylock_irqsave:fail";

    LocalTryLock(Machine machine, String name, LockClass lockClass, int cpuId) {
        this.name = name;
        this.lockClass = lockClass;
        this.cpuId = cpuId;
        this.machine = machine;
        this.id = machine.register(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LockClass lockClass() {
        return lockClass;
    }

    /** The CPU whose instance this is. */
    public int cpuId() {
        return cpuId;
    }

    /** Whether a section on this instance is open (the kernel's {@code tl->acquired}). */
    public boolean isLocked() {
        return ownerDepth >= 0;
    }

    /** {@code local_trylock()}. */
    public boolean tryLock(Cpu cpu) {
        return tryLockDetailed(cpu) == TryResult.ACQUIRED;
    }

    /** {@code local_trylock()}, saying why it failed. */
    public TryResult tryLockDetailed(Cpu cpu) {
        TryResult refused = checkTry(cpu, false);
        if (refused != null) {
            return refused;
        }
        cpu.preemptInc();
        take(cpu, true);
        return TryResult.ACQUIRED;
    }

    /** {@code local_trylock_irqsave()}: flags, or {@link SpinLock#TRYLOCK_FAILED}. */
    public long tryLockIrqSave(Cpu cpu) {
        TryResult failed = checkTry(cpu, true);
        if (failed != null) {
            if (failed != TryResult.REFUSED_BY_POLICY) { // !RT: local_irq_save(), then local_irq_restore() on failure
                cpu.irqFlags.save(cpu, id);
                cpu.irqFlags.restore(cpu, cpu.irqFlags.last(), TRY_IRQSAVE_FAIL);
            }
            return SpinLock.TRYLOCK_FAILED;
        }
        long flags = cpu.irqFlags.save(cpu, id);
        take(cpu, true);
        return flags;
    }

    /** {@code local_lock()}. */
    public void lock(Cpu cpu) {
        checkLock(cpu, false);
        cpu.preemptInc();
        take(cpu, false);
    }

    /** {@code local_lock_irqsave()}. */
    public long lockIrqSave(Cpu cpu) {
        checkLock(cpu, true);
        long flags = cpu.irqFlags.save(cpu, id);
        take(cpu, false);
        return flags;
    }

    /** {@code local_unlock()}. */
    public void unlock(Cpu cpu) {
        checkUnlock(cpu);
        if ((cpu.preemptCount & PreemptCount.PREEMPT_MASK) == 0) {
            throw Misuse.lock(LockMisuseException.PreemptUnderflow::new, cpu, this, owner(),
                    "local_unlock with preempt_count 0");
        }
        release(cpu);
        cpu.preemptDec();
    }

    /** {@code local_unlock_irqrestore()}: an interrupt point. */
    public void unlockIrqRestore(Cpu cpu, long flags) {
        unlockIrqRestore(cpu, flags, "local_unlock_irqrestore");
    }

    /** {@code local_unlock_irqrestore()} whose interrupt point carries the caller's (constant) label. */
    public void unlockIrqRestore(Cpu cpu, long flags, String pointLabel) {
        checkUnlock(cpu);
        int slot = cpu.irqFlags.find(cpu, this, id, flags);
        release(cpu);
        cpu.irqFlags.restore(cpu, slot, pointLabel);
    }

    /** {@code guard(local_lock_irqsave)}. */
    public LockGuard guardIrqSave(Cpu cpu) {
        long flags = lockIrqSave(cpu);
        return new LockGuard().arm(cpu, this, LockGuard.LOCAL_IRQSAVE, flags);
    }

    /** {@code scoped_cond_guard(local_trylock, ...)}: a guard, or null. */
    public LockGuard tryGuard(Cpu cpu) {
        return tryLock(cpu) ? new LockGuard().arm(cpu, this, LockGuard.LOCAL, 0) : null;
    }

    @Override
    public String toString() {
        return "LocalTryLock[" + name + "@CPU" + cpuId + (isLocked() ? ", acquired" : "") + "]";
    }

    /** Null if the caller may take it now (nothing changed yet); else the failure, recorded. */
    private TryResult checkTry(Cpu cpu, boolean irqsave) {
        checkCpu(cpu);
        TryResult r = null;
        if (RtPolicy.refusesLocalTrylock(cpu)) {
            r = TryResult.REFUSED_BY_POLICY;
        } else {
            if (irqsave) {
                cpu.irqFlags.checkRoom(cpu); // a failure saves and restores the flag too
            }
            if (ownerDepth >= 0) {
                r = ownerDepth < cpu.depth ? TryResult.NESTED : TryResult.SAME_CONTEXT;
            } else {
                cpu.held.checkRoom(cpu, this);
            }
        }
        if (r != null) {
            cpu.noteTryFailed(this, r);
        }
        return r;
    }

    private void checkLock(Cpu cpu, boolean irqsave) {
        checkCpu(cpu);
        if (ownerDepth >= 0) {
            throw Misuse.lock(LockMisuseException.Recursion::new, cpu, this, owner(),
                    "local_lock recursion (lockdep_assert(!tl->acquired))");
        }
        cpu.held.checkRoom(cpu, this);
        if (irqsave) {
            cpu.irqFlags.checkRoom(cpu);
        }
    }

    private void checkCpu(Cpu cpu) {
        cpu.checkThread();
        if (cpu.machine() != machine) {
            throw Misuse.lock(LockMisuseException.WrongMachine::new, cpu, this, OwnerTag.NO_OWNER,
                    "local lock of " + machine + " used by CPU#" + cpu.id() + " of another machine");
        }
        if (cpu.id() != cpuId) {
            throw Misuse.lock(LockMisuseException.WrongCpu::new, cpu, this, owner(),
                    "local lock of CPU#" + cpuId + " used from another CPU");
        }
    }

    private void checkUnlock(Cpu cpu) {
        checkCpu(cpu);
        if (ownerDepth != cpu.depth) {
            throw Misuse.unlock(cpu, this, owner());
        }
    }

    private void take(Cpu cpu, boolean trylock) {
        ownerDepth = cpu.depth;
        cpu.noteAcquired(this, id, trylock, 0, true);
    }

    private void release(Cpu cpu) {
        ownerDepth = -1;
        cpu.noteReleased(this, id);
    }

    private int owner() {
        return ownerDepth < 0 ? OwnerTag.NO_OWNER : OwnerTag.of(cpuId, ownerDepth);
    }

    /** The instances of one per-CPU local lock, one per CPU ({@code DEFINE_PER_CPU(local_trylock_t, ...)}). */
    public static final class PerCpu {
        private final LocalTryLock[] instances;

        PerCpu(LocalTryLock[] instances) {
            this.instances = instances;
        }

        /** {@code this_cpu_ptr(lock)}: the instance of {@code cpu}. */
        public LocalTryLock thisCpu(Cpu cpu) {
            return instances[cpu.id()];
        }

        /** {@code per_cpu_ptr(lock, cpu)}: any CPU's instance (using it from another CPU throws). */
        public LocalTryLock of(int cpu) {
            return instances[cpu];
        }
    }
}
