package io.ctxlock.jvm;

/**
 * Why a {@link ContextLock#tryLockDetailed} succeeded or failed: the plain-Java counterpart of
 * the kernel model's {@code TryResult}, with the owner in the place of the CPU.
 */
public enum LockResult {
    /** The lock is now held by the calling context. */
    ACQUIRED,
    /** Another owner (thread, event loop, host token) holds it: waiting would make progress. */
    OTHER_OWNER,
    /** An outer context of the calling owner holds it: waiting would wait for itself. */
    NESTED,
    /** The calling context itself holds it already (a recursive take). */
    SAME_CONTEXT;

    /** Whether the lock was taken. */
    public boolean acquired() {
        return this == ACQUIRED;
    }

    /** Whether the calling owner holds it already, in this context or an outer one. */
    public boolean heldByCaller() {
        return this == NESTED || this == SAME_CONTEXT;
    }
}
