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
    // 128 bytes after the fields (in LocalTryLockState), so that whatever is allocated next shares no line with them
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    /** The interrupt point of a failed {@code local_trylock_irqsave()} (its {@code local_irq_restore()}). */
    static final String TRY_IRQSAVE_FAIL = "local_trylock_irqsave:fail";

    LocalTryLock(Machine machine, String name, LockClass lockClass, int cpuId) {
        super(machine, name, lockClass, cpuId);
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
