package io.ctxlock.explore;

/** How one injected run ended. */
public enum Outcome {
    /** No invariant broke; nested trylocks failed cleanly or were never needed. */
    CLEAN,
    /** A {@link io.ctxlock.api.KernelBug}: the kernel's own symptom of corruption. */
    CORRUPT,
    /**
     * A lock() on a lock held on the same CPU: recursion / self-deadlock, reported instead of hung (on a
     * stepped machine of several CPUs it spins instead, and the stepper decides the {@link #DEADLOCK}).
     */
    RECURSION,
    /** A {@link io.ctxlock.api.LockupException}: a CPU waited past its bound. */
    LOCKUP,
    /**
     * A {@linkplain io.ctxlock.api.LockupException#decided() decided} lockup of a stepped machine: no
     * CPU can run a step (each spins or is done), so no wait can end; found from the lock words, not
     * timed: what the kernel's watchdog reports.
     */
    DEADLOCK,
    /** Any other {@link io.ctxlock.api.LockMisuseException}. */
    MISUSE,
    /** Any other exception. */
    ERROR;

    /** The cell verdict a run that ends like this contributes. */
    public Verdict verdict() {
        switch (this) {
            case CLEAN:
                return Verdict.CLEAN;
            case CORRUPT:
                return Verdict.CORRUPT;
            case DEADLOCK:
                return Verdict.LOCKUP;
            default:
                return Verdict.ERROR;
        }
    }
}
