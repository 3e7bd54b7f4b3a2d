package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A test-and-test-and-set spinlock whose word is the owner tag (0 when free).
 *
 * <p><b>Implementation notes.</b> A trylock reads the word opaquely first so that a waiter on a
 * held lock does not bounce the cache line with failing CASes (the kernel's
 * {@code queued_spin_trylock()} does the same {@code atomic_read} before its
 * {@code atomic_try_cmpxchg_acquire}). The CAS is {@code compareAndExchangeAcquire}: strong, so a
 * free lock is never reported busy, and acquire, so the critical section cannot float above it.
 * Unlock is {@code setRelease(0)}, the kernel's {@code smp_store_release(&lock->locked, 0)}. The
 * litmus test this must pass is MP+polocks:
 * <pre>
 *   CPU0: x = 1; lock; y = 1; unlock      CPU1: lock; r1 = y; unlock; r2 = x
 *   forbidden: r1 == 1 &amp;&amp; r2 == 0
 * </pre>
 * Reads of the word by its own CPU ({@link #heldBy}, {@link #owner} after a failed try on the same
 * CPU) see that CPU's own writes in program order; reads of another CPU's tag are racy snapshots,
 * which is all a failure reason promises.
 */
final class TtasWord extends LockWord {
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(TtasWord.class, "word", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String SPIN_LABEL = "spin_lock:spin";
    private final Spinner spinner;
    @SuppressWarnings("unused")
    private volatile int word; // VarHandle: opaque reads, CAS-acquire to take, setRelease to free; owner tag or 0

    TtasWord(Spinner spinner) {
        this.spinner = spinner;
    }

    @Override
    public boolean tryAcquire(int tag) {
        return (int) WORD.getOpaque(this) == OwnerTag.NO_OWNER
                && (int) WORD.compareAndExchangeAcquire(this, OwnerTag.NO_OWNER, tag) == OwnerTag.NO_OWNER;
    }

    @Override
    public void acquireContended(Cpu cpu, int tag, SpinLock lock) {
        long start = System.nanoTime();
        for (;;) {
            int w = (int) WORD.getOpaque(this);
            if (w == OwnerTag.NO_OWNER) {
                if ((int) WORD.compareAndExchangeAcquire(this, OwnerTag.NO_OWNER, tag) == OwnerTag.NO_OWNER) {
                    spinner.done(cpu);
                    return;
                }
                continue;
            }
            if (OwnerTag.cpu(w) == cpu.id()) {
                // An interrupt taken while spinning took the lock and returned without it: impossible
                // (handlers cannot leak), unless a handler leaked and was reported; stop, do not hang.
                throw new IllegalStateException(lock.name() + " became held by CPU#" + cpu.id() + " while it spun");
            }
            spinner.pause(cpu, lock, SPIN_LABEL, w, start);
        }
    }

    @Override
    public int owner() {
        return (int) WORD.getOpaque(this);
    }

    @Override
    public boolean heldBy(int tag) {
        return (int) WORD.getOpaque(this) == tag;
    }

    @Override
    public void release(int tag) {
        WORD.setRelease(this, OwnerTag.NO_OWNER);
    }

    @Override
    public boolean isLocked() {
        return (int) WORD.getAcquire(this) != OwnerTag.NO_OWNER;
    }
}
