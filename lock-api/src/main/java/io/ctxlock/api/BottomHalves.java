package io.ctxlock.api;

/**
 * Bottom halves on a {@link Cpu}: {@code __local_bh_disable_ip()} and {@code __local_bh_enable_ip()}
 * of {@code kernel/softirq.c} (!PREEMPT_RT), for {@link Cpu#localBhDisable}, {@link Cpu#localBhEnable}
 * and the {@code _bh} lock variants. Bound CPU thread; allocates nothing unless it warns.
 */
final class BottomHalves {
    private static final String SOFTIRQ_C = "kernel/softirq.c";

    private BottomHalves() {}

    /** Whether a bh-level section of {@code offset} may be removed (checked before any change). */
    static boolean held(Cpu cpu, int offset) {
        return (cpu.preemptCount & PreemptCount.SOFTIRQ_MASK) >= (offset & PreemptCount.SOFTIRQ_MASK)
                && (cpu.preemptCount & PreemptCount.PREEMPT_MASK) >= (offset & PreemptCount.PREEMPT_MASK);
    }

    /** {@code __local_bh_disable_ip(cnt)}: adds {@code offset}, refusing a field overflow. */
    static void disable(Cpu cpu, int offset) {
        String field = PreemptCount.overflow(cpu.preemptCount, offset);
        if (field != null) {
            throw Misuse.cpu(LockMisuseException.NestingOverflow::new, cpu, "local_bh_disable overflows the "
                    + field + " field of " + PreemptCount.describe(cpu.preemptCount));
        }
        cpu.preemptAdd(offset);
    }

    /**
     * {@code __local_bh_enable_ip(ip, cnt)} ({@code kernel/softirq.c}, !PREEMPT_RT): warns once in
     * hardirq, and with the validator on with interrupts disabled ({@code lockdep_assert_irqs_enabled()});
     * subtracts {@code cnt - 1}, so that pending softirqs run with preemption still disabled (a
     * softirq run here reads {@code 0x101} above the caller's count); the interrupt point
     * {@code label} sits there; then drops the last preempt level.
     */
    static void enable(Cpu cpu, int offset, String label) {
        if (!held(cpu, offset)) {
            throw Misuse.cpu(LockMisuseException.PreemptUnderflow::new, cpu, "local_bh_enable underflow: "
                    + PreemptCount.describe(cpu.preemptCount) + " has no bh-disable of 0x" + Integer.toHexString(offset));
        }
        if ((offset & PreemptCount.PREEMPT_MASK) == 0
                && (cpu.preemptCount & PreemptCount.PREEMPT_MASK) == PreemptCount.PREEMPT_MASK) {
            // cnt - 1 adds a preempt level only when cnt has none (local_bh_enable, not unlock_bh)
            throw Misuse.cpu(LockMisuseException.NestingOverflow::new, cpu, "local_bh_enable would overflow the preempt"
                    + " field of " + PreemptCount.describe(cpu.preemptCount) + " while it runs softirqs (cnt - 1)");
        }
        if (PreemptCount.inHardirq(cpu.preemptCount)) {
            cpu.machine().kernelLog().warnOnce(cpu, SOFTIRQ_C, "__local_bh_enable_ip", "WARN_ON_ONCE(in_hardirq())", "");
        }
        if (!cpu.irqsEnabled && cpu.lockdep != null && cpu.machine().debugLocks()) {
            cpu.machine().kernelLog().warnOnce(cpu, SOFTIRQ_C, "__local_bh_enable_ip",
                    "lockdep_assert_irqs_enabled()", "local_bh_enable with interrupts disabled");
        }
        if (cpu.lockdep != null && (cpu.preemptCount & PreemptCount.SOFTIRQ_MASK) == PreemptCount.SOFTIRQ_DISABLE_OFFSET
                && (offset & PreemptCount.SOFTIRQ_MASK) == PreemptCount.SOFTIRQ_DISABLE_OFFSET) {
            cpu.lockdep.softirqsOn(cpu); // lockdep_softirqs_on(): bottom halves come back on
        }
        cpu.preemptSub(offset - PreemptCount.PREEMPT_OFFSET);
        cpu.point(label);
        cpu.preemptSub(PreemptCount.PREEMPT_OFFSET);
    }
}
