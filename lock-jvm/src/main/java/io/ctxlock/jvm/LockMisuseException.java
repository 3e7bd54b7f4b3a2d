package io.ctxlock.jvm;

/**
 * An unlock by a context that does not hold the lock (another owner's, an outer or inner context
 * of the holder, or nobody's), or a {@code lock()} that would park its thread behind another owner
 * on the same thread: the plain-Java {@code "BUG: spinlock wrong owner"}. Thrown before anything
 * changed, except when a task deferred to an unlock released the lock itself (it then ran, and
 * the lock is free). An {@link IllegalMonitorStateException}, as {@code Lock.unlock()} specifies.
 */
public class LockMisuseException extends IllegalMonitorStateException {
    private static final long serialVersionUID = 1L;
    private final String lockName;
    private final String ownerName;
    private final String context;

    LockMisuseException(ContextLock lock, Owner owner, String what) {
        super(Splat.of(owner, "BUG: " + what + " (lock " + lock.name() + ")"));
        this.lockName = lock.name();
        this.ownerName = owner.name();
        this.context = owner.contextName();
    }

    /** The lock's name. */
    public String lockName() {
        return lockName;
    }

    /** The owner that called. */
    public String ownerName() {
        return ownerName;
    }

    /** Its running context. */
    public String context() {
        return context;
    }
}
