package io.ctxlock.up;

/**
 * The single-CPU spinlock variants, as the kernel has them and as the RFC thread proposed to fix
 * them (the 2026 thread "making nested spin_trylock() work on UP?"; the configurations are
 * those of the allocator model's {@code KernelConfig}).
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
     * {@code kernel/locking/spinlock_debug.c} since v4.11): one lock word plus owner. A trylock of
     * a held lock fails and reports "spinlock trylock failure on UP"; a nested lock() reports
     * "spinlock recursion" and proceeds without spinning, and its unlock frees the word under the
     * interrupted holder. Only the first report of a machine prints ({@code debug_locks_off()}).
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
     * Proposal D: locks whose {@link io.ctxlock.api.LockClass} is any-context (pcp, zone,
     * node partial list, barn) get a word; all other locks stay stateless.
     */
    ANY_CONTEXT_CLASS
}
