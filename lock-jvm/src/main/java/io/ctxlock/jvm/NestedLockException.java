package io.ctxlock.jvm;

/**
 * A blocking {@code lock()} (or a {@link NestedPolicy#THROW} {@code execute}) of a lock that the
 * calling owner already holds: waiting would wait for itself, re-entering would run two critical
 * sections interleaved on one stack. Names the lock, the owner, the context that holds the lock and
 * the one that asked; thrown before anything changed. The kernel model's "spinlock recursion" /
 * "cpu recursion" splat.
 */
public class NestedLockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String lockName;
    private final String ownerName;
    private final String holderContext;
    private final String context;
    private final LockResult result;

    NestedLockException(ContextLock lock, Owner owner, int holderDepth, LockResult result) {
        super(Splat.of(owner, "BUG: " + (result == LockResult.NESTED ? "nested" : "recursive") + " lock of "
                + lock.name() + ": held by " + owner.frameName(holderDepth) + ", wanted by " + owner.contextName()
                + " of the same owner " + owner.name()));
        this.lockName = lock.name();
        this.ownerName = owner.name();
        this.holderContext = owner.frameName(holderDepth);
        this.context = owner.contextName();
        this.result = result;
    }

    public String lockName() {
        return lockName;
    }

    public String ownerName() {
        return ownerName;
    }

    /** The context that holds the lock. */
    public String holderContext() {
        return holderContext;
    }

    /** The context that asked for it. */
    public String context() {
        return context;
    }

    /** {@link LockResult#NESTED} (an outer context holds it) or {@link LockResult#SAME_CONTEXT}. */
    public LockResult result() {
        return result;
    }
}
