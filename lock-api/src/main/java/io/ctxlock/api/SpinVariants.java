package io.ctxlock.api;

/**
 * The context halves of a spinlock variant around its word, as {@code include/linux/spinlock_api_smp.h}
 * writes them: {@code __raw_spin_lock_irqsave()} saves the flag and disables interrupts,
 * {@code _irq} disables them, {@code _bh} adds {@code SOFTIRQ_LOCK_OFFSET}, and every variant
 * disables preemption; the trylock's failure path and a lock that threw undo them. The variants are
 * {@link SpinLock}'s constants. The CPU's bound thread only.
 */
final class SpinVariants {
    private SpinVariants() {}

    /**
     * The disable half. The kernel turns interrupts off (or saves the flag) before preemption; irq and
     * irqsave here do it the other way round, which nothing can observe (no interrupt point lies
     * between), so that a full preempt field throws before anything changed.
     */
    static long disable(Cpu cpu, int variant, int lockId) {
        switch (variant) {
            case SpinLock.BH:
                BottomHalves.disable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET);
                return 0;
            case SpinLock.IRQSAVE:
                cpu.irqFlags.checkRoom(cpu);
                cpu.preemptInc();
                return cpu.irqFlags.save(cpu, lockId);
            case SpinLock.IRQ:
                long wasEnabled = cpu.irqsEnabled ? 1 : 0;
                cpu.preemptInc();
                cpu.irqsOff();
                return wasEnabled;
            default:
                cpu.preemptInc();
                return 0;
        }
    }

    /**
     * Undoes {@link #disable}: after a lock that threw ({@code point == null}: as if never called,
     * no interrupt point), or after a failed trylock, where the kernel's enable half runs
     * ({@code local_irq_restore()}, {@code __local_bh_enable_ip()}: interrupt points).
     */
    static void undo(Cpu cpu, int variant, long saved, String point) {
        if (variant == SpinLock.BH) {
            if (point == null) {
                cpu.preemptSub(PreemptCount.SOFTIRQ_LOCK_OFFSET);
            } else {
                BottomHalves.enable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET, point);
            }
            return;
        }
        cpu.preemptDec();
        if (variant == SpinLock.IRQSAVE) {
            if (point == null) {
                cpu.irqFlags.undo(cpu, cpu.irqFlags.last());
            } else {
                cpu.irqFlags.restore(cpu, cpu.irqFlags.last(), point);
            }
        } else if (variant == SpinLock.IRQ) {
            cpu.restoreState(cpu.preemptCount, saved != 0); // no lockdep event: as if the lock never began
        }
    }
}
