package io.ctxlock.api;

/**
 * The bit layout of the kernel's per-CPU {@code preempt_count} ({@code include/linux/preempt.h}),
 * and the context tests that read it.
 *
 * <pre>
 *   PREEMPT_MASK: 0x000000ff   preempt_disable() depth, raised by every spin_lock
 *   SOFTIRQ_MASK: 0x0000ff00   serving a softirq adds 0x100; local_bh_disable() adds 0x200
 *   HARDIRQ_MASK: 0x000f0000   irq_enter() adds 0x10000
 *       NMI_MASK: 0x00f00000   nmi_enter() adds NMI_OFFSET + HARDIRQ_OFFSET
 * </pre>
 *
 * <p>Whether interrupts are disabled is not in this word; it is the CPU flag behind
 * {@link Cpu#irqsDisabled()}. The kernel's {@code PREEMPT_NEED_RESCHED} bit and the scheduler
 * are not modeled. Pure functions of an int: callable from any thread and context.
 */
public final class PreemptCount {
    public static final int PREEMPT_MASK = 0x000000ff;
    public static final int SOFTIRQ_MASK = 0x0000ff00;
    public static final int HARDIRQ_MASK = 0x000f0000;
    public static final int NMI_MASK = 0x00f00000;

    public static final int PREEMPT_OFFSET = 0x1;
    public static final int SOFTIRQ_OFFSET = 0x100;
    /** {@code SOFTIRQ_DISABLE_OFFSET}: what {@code local_bh_disable()} adds. */
    public static final int SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET;
    /** {@code SOFTIRQ_LOCK_OFFSET}: what {@code spin_lock_bh()} adds (bh disable plus preempt). */
    public static final int SOFTIRQ_LOCK_OFFSET = SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET;
    public static final int HARDIRQ_OFFSET = 0x10000;
    public static final int NMI_OFFSET = 0x100000;
    /** The deepest NMI nesting the four NMI bits can count ({@code BUG_ON(in_nmi() == NMI_MASK)}). */
    public static final int MAX_NMI_NESTING = NMI_MASK / NMI_OFFSET;
    /** The deepest hardirq nesting the four hardirq bits can count. */
    public static final int MAX_HARDIRQ_NESTING = HARDIRQ_MASK / HARDIRQ_OFFSET;

    private PreemptCount() {}

    /** {@code in_nmi()}. */
    public static boolean inNmi(int count) {
        return (count & NMI_MASK) != 0;
    }

    /** {@code in_hardirq()}: true in NMI too, since NMI entry also adds HARDIRQ_OFFSET. */
    public static boolean inHardirq(int count) {
        return (count & HARDIRQ_MASK) != 0;
    }

    /** {@code in_serving_softirq()}: running a softirq, not merely with bottom halves disabled. */
    public static boolean inServingSoftirq(int count) {
        return (count & SOFTIRQ_OFFSET) != 0;
    }

    /** {@code in_softirq()}: serving a softirq or with bottom halves disabled. */
    public static boolean inSoftirq(int count) {
        return (count & SOFTIRQ_MASK) != 0;
    }

    /** {@code in_interrupt()}: NMI, hardirq, or softirq (serving or bh-disabled). */
    public static boolean inInterrupt(int count) {
        return (count & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0;
    }

    /** {@code in_task()}: none of NMI, hardirq, serving softirq. */
    public static boolean inTask(int count) {
        return (count & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)) == 0;
    }

    /**
     * The field that adding {@code offset} to {@code count} would overflow ({@code "preempt"},
     * {@code "softirq"}, {@code "hardirq"} or {@code "NMI"}), or null if every field has room.
     * Each field of {@code offset} is added to its own field of {@code count}, so an NMI entry
     * ({@code NMI_OFFSET + HARDIRQ_OFFSET}) on top of 15 hardirq levels overflows the hardirq
     * field although its own field has room. The kernel checks only some of these
     * ({@code BUG_ON(in_nmi() == NMI_MASK)} in {@code __nmi_enter()}, {@code DEBUG_PREEMPT}'s
     * {@code preempt_count_add()}); the model checks them all and refuses, so a count never wraps.
     */
    public static String overflow(int count, int offset) {
        if ((count & PREEMPT_MASK) + (offset & PREEMPT_MASK) > PREEMPT_MASK) {
            return "preempt";
        }
        if ((count & SOFTIRQ_MASK) + (offset & SOFTIRQ_MASK) > SOFTIRQ_MASK) {
            return "softirq";
        }
        if ((count & HARDIRQ_MASK) + (offset & HARDIRQ_MASK) > HARDIRQ_MASK) {
            return "hardirq";
        }
        if ((count & NMI_MASK) + (offset & NMI_MASK) > NMI_MASK) {
            return "NMI";
        }
        return null;
    }

    /** The count as the kernel would print it, field by field. */
    public static String describe(int count) {
        return String.format(
                "preempt_count=0x%08x (preempt=%d softirq=0x%x hardirq=%d nmi=%d)",
                count,
                count & PREEMPT_MASK,
                count & SOFTIRQ_MASK,
                (count & HARDIRQ_MASK) / HARDIRQ_OFFSET,
                (count & NMI_MASK) / NMI_OFFSET);
    }
}
