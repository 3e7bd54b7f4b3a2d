package io.ctxlock.up;

/**
 * The single-CPU spinlock variants, as the kernel has them and as the RFC thread proposed to fix
 * them (the thread is in the project's {@code shared/seed}; the configurations are those of
 * KERNEL-SEMANTICS section 4).
 */
public enum UpMode {
    /**
     * CONFIG_SMP=n without debug ({@code include/linux/spinlock_api_up.h}): no lock state at all;
     * a trylock only disables preemption and returns 1, {@code spin_is_locked} is 0. A nested
     * trylock from an interrupt that its own CPU's code holds therefore "succeeds": the seed's bug.
     */
    STATELESS,
    /**
     * CONFIG_DEBUG_SPINLOCK on UP ({@code include/linux/spinlock_up.h} with {@code slock}, and
     * {@code kernel/locking/spinlock_debug.c}): a lock word plus owner. A trylock of a held lock
     * fails and logs "spinlock trylock failure on UP"; a nested lock() logs "cpu recursion" and
     * "lockup suspected" and then proceeds, both contexts owning the lock.
     */
    DEBUG,
    /** Proposal B: the UP spinlock gets a {@code locked} word per lock; a nested trylock fails cleanly. */
    STATEFUL,
    /**
     * Proposal C (Matthew Wilcox's {@code pcp_UP_lock}): all locks of a group share one atomic
     * word, "4 bytes in all, not 4 bytes per lock"; locks outside the groups stay stateless.
     */
    SHARED_WORD,
    /**
     * Proposal D: locks whose {@link io.ctxlock.api.LockClass} is marked any-context (pcp, zone,
     * node partial list, barn) get a word; all other locks stay stateless.
     */
    TRYLOCK_SAFE_CLASS
}
