package io.ctxlock.api.spi;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.SpinLock;

/**
 * The state machine a backend implements for one spinlock: the kernel's {@code arch_spinlock_t}
 * with its {@code arch_spin_trylock}, {@code arch_spin_lock} slow path, {@code arch_spin_unlock}
 * and {@code arch_spin_is_locked}. Everything else (preemption, interrupt flags, the held-lock
 * stack, misuse checks) is done once, by {@link SpinLock}, so a backend cannot forget it.
 *
 * <p>Callers: {@link SpinLock} only, on the CPU thread of {@code tag}'s CPU, after its own checks.
 * A word sees only owner tags ({@link OwnerTag}); it never sees a context object.
 *
 * <p>Memory ordering a backend must give: a successful {@link #tryAcquire} or
 * {@link #acquireContended} acquires; {@link #release} releases; a failed {@code tryAcquire} need
 * have no ordering effect. Single-CPU backends are thread-confined and need no atomics at all.
 */
public abstract class LockWord {
    /** For subclasses: a backend's word starts free. */
    protected LockWord() {}

    /**
     * {@code arch_spin_trylock}: takes the lock for {@code tag} if the backend allows it.
     * Must change nothing when it returns false.
     */
    public abstract boolean tryAcquire(int tag);

    /** The holder's tag as the word knows it, or {@link OwnerTag#NO_OWNER}. Racy on SMP. */
    public abstract int owner();

    /** Whether {@code tag} holds the lock by this word's state (for unlock validation). */
    public abstract boolean heldBy(int tag);

    /** {@code arch_spin_unlock} for a holder that {@link #heldBy} confirmed. */
    public abstract void release(int tag);

    /** {@code arch_spin_is_locked}: false on a backend without lock state, whoever "holds" it. */
    public abstract boolean isLocked();

    /**
     * The {@code lock()} slow path when the holder is another CPU: spin until it is free, then
     * take it (it must throw rather than hang, e.g. through a lockup watchdog). A single-CPU
     * backend is never asked, since on one CPU every holder is on the caller's CPU.
     */
    public void acquireContended(Cpu cpu, int tag, SpinLock lock) {
        throw new IllegalStateException("lock " + lock.name() + " held by CPU#"
                + OwnerTag.cpu(owner()) + ", but backend has no other CPU to wait for");
    }

    /**
     * {@code lock()} found the lock held on the caller's own CPU by a context the caller
     * interrupted. Return true after taking the lock anyway (the UP debug spinlock: report, then
     * proceed); the default returns false, and the caller throws the recursion splat.
     */
    public boolean onRecursion(Cpu cpu, int tag, SpinLock lock) {
        return false;
    }

    /**
     * Whether a trylock of this word can fail at all. False for a word that keeps no state (the
     * stateless UP spinlock): the lock validator warns when such a lock is trylocked from an
     * interrupt-like context.
     */
    public boolean trylockCanFail() {
        return true;
    }

    /** A trylock failed. The UP debug spinlock reports it; everyone else stays silent. */
    public void onTryLockFailed(Cpu cpu, SpinLock lock) {}
}
