package io.ctxlock.api;

/**
 * What every lock of the model shares: a name and a class. Implemented by {@link SpinLock} and
 * {@link LocalTryLock}; it is what a CPU's held-lock stack, the splats and the kernel log name.
 * Kernel counterpart: the {@code struct lockdep_map} every lock type embeds.
 */
public interface KernelLock {
    /** The instance name, e.g. {@code "zone->lock"}. */
    String name();

    /** The lock class the instance belongs to. */
    LockClass lockClass();
}
