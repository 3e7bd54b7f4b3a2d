package io.ctxlock.api;

/**
 * The kinds of execution context a {@link Cpu} runs, in nesting order: task &lt; softirq &lt;
 * hardirq &lt; NMI, and a probe, which runs inside whatever it probes.
 *
 * <p>Kernel counterparts: process context; {@code __do_softirq()}; {@code irq_enter()} ..
 * {@code irq_exit()}; {@code nmi_enter()} .. {@code nmi_exit()}; a kprobe or BPF tracing program
 * (which the kernel does not mark in {@code preempt_count} at all, so {@code in_nmi()} is false
 * inside one even when it probes a locked section).
 */
public enum ContextKind {
    /** Process context: frame 0 of every CPU. */
    TASK("task"),
    /** Serving a softirq: adds {@code SOFTIRQ_OFFSET}, runs with interrupts enabled. */
    SOFTIRQ("softirq"),
    /** A hardware interrupt: adds {@code HARDIRQ_OFFSET}, runs with interrupts disabled. */
    HARDIRQ("hardirq"),
    /** A non-maskable interrupt: adds {@code NMI_OFFSET + HARDIRQ_OFFSET}, arrives regardless of the flag. */
    NMI("NMI"),
    /** A kprobe/BPF handler: leaves preempt_count and the interrupt flag as the probed code had them. */
    PROBE("probe");

    private final String kernelName;

    ContextKind(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name used in splats and the kernel log. */
    public String kernelName() {
        return kernelName;
    }
}
