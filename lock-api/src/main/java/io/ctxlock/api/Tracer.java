package io.ctxlock.api;

/**
 * Sees every lock operation, context entry and exit and interrupt point of a machine's CPUs, for
 * traces and timelines. Set with {@link Machine#setTracer}; with none set each hook costs a null
 * check. Called on the CPU's own thread, synchronously, in the context concerned; a tracer must not
 * take model locks or raise interrupts. All methods default to doing nothing.
 */
public interface Tracer {
    /** {@code lock} was taken by the running context of {@code cpu} (any lock or successful try). */
    default void acquired(Cpu cpu, KernelLock lock) {}

    /** {@code lock} was released by the running context of {@code cpu}. */
    default void released(Cpu cpu, KernelLock lock) {}

    /** A trylock of {@code lock} failed, for {@code why}. */
    default void tryFailed(Cpu cpu, KernelLock lock, TryResult why) {}

    /** {@code cpu} entered a context; {@link Cpu#contextName()} names it. */
    default void entered(Cpu cpu) {}

    /** {@code cpu} is about to leave its running context (normally or by an exception). */
    default void leaving(Cpu cpu) {}

    /** A probe hit on {@code cpu} was skipped: {@code probe} would have run inside itself. */
    default void probeMissed(Cpu cpu, String probe) {}

    /** {@code cpu} reached an interrupt point (before the point observer and any delivery). */
    default void point(Cpu cpu, String label, long seq) {}
}
