package io.ctxlock.api;

/**
 * What a detailed trylock did, and why it failed. The plain {@code tryLock} returns
 * {@code result == ACQUIRED}.
 *
 * <p>A failure reason is a fact about the instant of the attempt, not about the lock afterwards:
 * on SMP the holder may release a moment later.
 */
public enum TryResult {
    /** The lock was taken. */
    ACQUIRED("acquired"),
    /** Held by another CPU: the only failure the kernel's SMP trylock was designed for. */
    OTHER_CPU("other CPU"),
    /** Held on this CPU by a context that the caller interrupted: the nested case of the RFC. */
    NESTED("nested"),
    /** Held by the caller's own context (a trylock of a lock it already holds). */
    SAME_CONTEXT("same context"),
    /**
     * Refused by the context policy before the lock was looked at: {@link LocalTryLock} under
     * PREEMPT_RT in NMI or hardirq ({@code __local_trylock()} returns 0 there). A {@link SpinLock}
     * trylock never returns it: the kernel's {@code spin_trylock} has no context policy.
     */
    REFUSED_BY_POLICY("refused by context policy");

    private final String reason;

    TryResult(String reason) {
        this.reason = reason;
    }

    /** Short text for logs and traces: "nested", "other CPU", ... */
    public String reason() {
        return reason;
    }

    public boolean acquired() {
        return this == ACQUIRED;
    }
}
