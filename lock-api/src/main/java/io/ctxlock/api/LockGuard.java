package io.ctxlock.api;

/**
 * A scoped hold of a lock for try-with-resources: {@code close()} runs the unlock that matches
 * the lock call that made it (unlock, unlockIrq, unlockIrqRestore with the saved flags,
 * unlockBh). Kernel counterpart: the {@code guard()} / {@code scoped_guard()} /
 * {@code scoped_cond_guard()} classes of {@code include/linux/cleanup.h}.
 *
 * <p>Each hold gets its own guard, so a guard closed twice throws, whatever was locked since, and
 * never unlocks another hold. A guard is one object of at most 64 bytes (the contract test
 * measures it); used in one try-with-resources block it does not escape, so the JIT's escape
 * analysis may remove the allocation, which no test checks. Call on the CPU's bound thread, in the context that took the lock.
 */
public final class LockGuard implements AutoCloseable {
    // modes up to SpinLock.BH are SpinLock's variants (PLAIN, IRQ, IRQSAVE, BH); then the local lock's
    static final int LOCAL = SpinLock.BH + 1;
    static final int LOCAL_IRQSAVE = LOCAL + 1;

    private Cpu cpu; //         plain; bound thread only
    private KernelLock lock; // plain; null while the guard is not armed
    private int mode; //        plain
    private long flags; //      plain; the irqsave token, for IRQSAVE and LOCAL_IRQSAVE

    LockGuard() {}

    LockGuard arm(Cpu cpu, KernelLock lock, int mode, long flags) {
        this.cpu = cpu;
        this.lock = lock;
        this.mode = mode;
        this.flags = flags;
        return this;
    }

    /** The lock this guard holds, or null once closed. */
    public KernelLock lock() {
        return lock;
    }

    /** The irqsave flags token this guard will restore (0 for the other modes). */
    public long flags() {
        return flags;
    }

    @Override
    public void close() {
        KernelLock l = lock;
        if (l == null) {
            throw new IllegalStateException("lock guard closed twice (a guard is valid until its first close)");
        }
        lock = null; // before the unlock: a handler run at its interrupt point that closes it again must throw
        try {
            unlock(l);
        } catch (RuntimeException | Error e) {
            if (lock == null) {
                lock = l; // a misuse check refused the unlock; the hold is still there
            }
            throw e;
        }
    }

    private void unlock(KernelLock l) {
        if (mode < LOCAL) {
            ((SpinLock) l).unlock(cpu, mode, flags);
            return;
        }
        switch (mode) {
            case LOCAL:
                ((LocalTryLock) l).unlock(cpu);
                break;
            default:
                ((LocalTryLock) l).unlockIrqRestore(cpu, flags);
                break;
        }
    }
}
