package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * A test-and-test-and-set spinlock whose word is the owner tag (0 when free). One instance per
 * machine serves every TTAS lock; the word is the lock's own.
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
    private static final String SPIN_LABEL = "spin_lock:spin";
    private final Spinner spinner;

    TtasWord(Machine machine, Spinner spinner) {
        super(machine);
        this.spinner = spinner;
    }

    @Override
    public boolean tryAcquire(SpinLock lock, int tag) {
        return wordOpaque(lock) == OwnerTag.NO_OWNER
                && casWordAcquire(lock, OwnerTag.NO_OWNER, tag) == OwnerTag.NO_OWNER;
    }

    @Override
    public void acquireContended(Cpu cpu, SpinLock lock, int tag) {
        spinner.begin(cpu);
        for (;;) {
            int w = wordOpaque(lock);
            if (w == OwnerTag.NO_OWNER) {
                if (casWordAcquire(lock, OwnerTag.NO_OWNER, tag) == OwnerTag.NO_OWNER) {
                    spinner.end(cpu);
                    return;
                }
                continue;
            }
            if (OwnerTag.cpu(w) == cpu.id() && !spinner.stepped()) {
                // An interrupt taken while spinning took the lock and returned without it: impossible
                // (handlers cannot leak), unless a handler leaked and was reported; stop, do not hang.
                // (A stepped machine waits on its own CPU's holder on purpose: its stepper decides.)
                throw new IllegalStateException(lock.name() + " became held by CPU#" + cpu.id() + " while it spun");
            }
            spinner.pause(cpu, lock, SPIN_LABEL, w);
        }
    }

    @Override
    public int owner(SpinLock lock) {
        return wordOpaque(lock);
    }

    @Override
    public boolean heldBy(SpinLock lock, int tag) {
        return wordOpaque(lock) == tag;
    }

    @Override
    public boolean release(SpinLock lock, int tag) {
        if (wordOpaque(lock) != tag) { // only the holder's own CPU writes its tag: no race on this read
            return false;
        }
        setWordRelease(lock, OwnerTag.NO_OWNER);
        return true;
    }

    @Override
    public boolean isLocked(SpinLock lock) {
        return wordOpaque(lock) != OwnerTag.NO_OWNER; // spin_is_locked() orders nothing (atomic_read)
    }
}
