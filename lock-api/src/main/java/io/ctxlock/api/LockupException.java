package io.ctxlock.api;

/**
 * A CPU waited past its machine's bound: a spinlock it spun on never came free (the kernel's
 * soft-lockup watchdog, {@code kernel/watchdog.c}: "BUG: soft lockup - CPU#1 stuck for 22s!"), or
 * a cross-CPU call was never answered (the CSD lock timeout of {@code kernel/smp.c}). The report is
 * in the kernel log too, with the spinning CPU, the holder and both held-lock stacks. Thrown
 * instead of hanging, so that a cross-CPU deadlock in a model fails a test rather than freezing it.
 * The operation that throws undoes its own bookkeeping; the locks the CPU already held stay held.
 */
public final class LockupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int cpu;
    private final String lockName;
    private final int holderCpu;
    private final boolean decided;

    /**
     * @param report the text written to the kernel log
     * @param cpu the CPU that waited
     * @param lockName the lock it spun on, or {@code "-"} for a cross-CPU call
     * @param holderCpu the CPU it waited for, or -1 if unknown
     */
    public LockupException(String report, int cpu, String lockName, int holderCpu) {
        this(report, cpu, lockName, holderCpu, false);
    }

    /**
     * As {@link #LockupException(String, int, String, int)}; {@code decided} when a stepped machine
     * found that no CPU can run a step (a deadlock), not that a wait passed a bound.
     */
    public LockupException(String report, int cpu, String lockName, int holderCpu, boolean decided) {
        super(report);
        this.cpu = cpu;
        this.lockName = lockName;
        this.holderCpu = holderCpu;
        this.decided = decided;
    }

    /**
     * Whether a stepped machine decided this lockup from the lock words: every CPU spins or is done,
     * so no CPU can run a step and no wait can end. False for a wait past a bound (time, or the
     * stepper's iteration bound), where CPUs may still have been able to run.
     */
    public boolean decided() {
        return decided;
    }

    public int cpu() {
        return cpu;
    }

    public String lockName() {
        return lockName;
    }

    public int holderCpu() {
        return holderCpu;
    }
}
