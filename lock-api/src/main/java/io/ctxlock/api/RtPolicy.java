package io.ctxlock.api;

/**
 * What a PREEMPT_RT machine refuses by context, in one place. On RT a spinlock and a local lock
 * are sleeping locks ({@code kernel/locking/spinlock_rt.c}, {@code include/linux/local_lock_internal.h}),
 * so the contexts that cannot sleep are the ones refused; a !RT machine refuses nothing here.
 * Bound CPU thread; reads the CPU's preempt_count only.
 */
final class RtPolicy {
    private RtPolicy() {}

    /**
     * A {@code spin_lock()} that may wait, from NMI: the kernel's sleeping lock would hit
     * {@code might_sleep()}/lockdep splats or hang, the model refuses. From hardirq it is allowed:
     * RT force-threads interrupt handlers, so the handler runs in a thread in the kernel (nested
     * here). {@code spin_trylock()} is never refused ({@code rt_spin_trylock()} has no policy).
     */
    static boolean refusesSpinLock(Cpu cpu) {
        return (cpu.preemptCount & PreemptCount.NMI_MASK) != 0 && cpu.machine().preemptRt();
    }

    /** {@code __local_trylock()} on RT: {@code if (in_nmi() | in_hardirq()) return 0}. */
    static boolean refusesLocalTrylock(Cpu cpu) {
        return (cpu.preemptCount & (PreemptCount.NMI_MASK | PreemptCount.HARDIRQ_MASK)) != 0
                && cpu.machine().preemptRt();
    }
}
