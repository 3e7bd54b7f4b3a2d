package io.ctxlock.api;

/**
 * Sees every interrupt point of every CPU of a {@link Machine}, and may inject an interrupt there.
 * This is the hook that systematic exploration and host simulators are built on.
 *
 * <p>A point is every place that enables interrupts ({@code local_irq_enable},
 * {@code local_irq_restore}, {@code spin_unlock_irq}, {@code spin_unlock_irqrestore},
 * {@code local_bh_enable}, {@code spin_unlock_bh}) and every explicit
 * {@link Cpu#interruptPoint(String)}. Labels are stable across runs; the sequence number counts
 * the points of one CPU from 1, so "the 7th point of CPU0" names the same instant in every run
 * of a deterministic program.
 *
 * <p>To inject, call {@link Cpu#raise(Interrupt)} on the CPU passed in: the CPU delivers pending
 * interrupts right after the observer returns, by the hardware's rules (an NMI or probe at once,
 * a hardirq only if interrupts are enabled here, otherwise at the next point that enables them).
 *
 * <p>Called on the CPU's own thread, in the context that reached the point, before pending
 * interrupts are delivered. With no observer set, a point costs a null check.
 */
@FunctionalInterface
public interface PointObserver {
    /**
     * @param cpu the CPU at the point, in the context that reached it
     * @param label the point's stable label, e.g. {@code "free_pcppages_bulk:loop"}
     * @param seq this CPU's point sequence number, from 1
     */
    void onPoint(Cpu cpu, String label, long seq);
}
