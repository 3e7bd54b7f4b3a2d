package io.ctxlock.explore;

/** A cell's verdict over all its runs. */
public enum Verdict {
    /** Every run ended clean: no invariant broke and the kernel would report nothing wrong. */
    CLEAN,
    /** Some run ended in the kernel's own symptom of corruption (a {@link io.ctxlock.api.KernelBug}). */
    CORRUPT,
    /**
     * Some run of a cross-CPU scenario ended in a deadlock that the stepped machine decided (no CPU can
     * run a step: each spins or is done, so no wait can end): the kernel's soft or hard lockup watchdog.
     */
    LOCKUP,
    /**
     * Some run ended in something else (misuse, recursion, a lockup watchdog, an exception of the
     * model): the exploration cannot say what the kernel would do, so it is never counted as corrupt.
     */
    ERROR
}
