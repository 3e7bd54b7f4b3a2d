package io.ctxlock.jvm;

/**
 * A task deferred to a lock's unlock found the owner's queue for that lock full: the task was not
 * queued, and nothing else changed. Usually a nested context that keeps re-submitting itself; the
 * capacity is {@link Owner#create(String, int)}'s.
 */
public class DeferQueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    DeferQueueFullException(Owner owner, ContextLock lock, int capacity) {
        super(Splat.of(owner, "deferred-task queue of " + lock.name() + " full (" + capacity + " tasks) in "
                + owner.contextName()));
        this.capacity = capacity;
    }

    /** The queue's capacity. */
    public int capacity() {
        return capacity;
    }
}
