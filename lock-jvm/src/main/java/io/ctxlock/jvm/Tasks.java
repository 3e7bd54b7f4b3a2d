package io.ctxlock.jvm;

/**
 * {@link ContextLock#execute} and {@link ContextLock#runOrDefer}: a task under the lock, or the
 * {@link NestedPolicy} when its owner already holds the lock (the kernel model has no counterpart:
 * a kernel caller picks between {@code spin_trylock()} and a deferred free itself).
 */
final class Tasks {
    private Tasks() {}

    static Outcome run(ContextLock lock, Owner owner, Runnable task, NestedPolicy policy) {
        if (task == null) {
            throw new NullPointerException(lock.name() + ": null task");
        }
        int slot = lock.checked(owner).held.find(lock);
        if (slot >= 0) {
            switch (policy) {
                case DROP:
                    lock.lockClass().countDrop();
                    return Outcome.DROPPED;
                case DEFER:
                    owner.held.defer(slot, task);
                    return Outcome.DEFERRED;
                default:
                    throw new NestedLockException(lock, owner, owner.held.depth(slot),
                            ContextLock.nestedResult(owner, slot));
            }
        }
        lock.lock(owner);
        try {
            task.run();
        } catch (Throwable t) {
            try {
                lock.unlock(owner);
            } catch (Throwable u) {
                if (u != t) {
                    t.addSuppressed(u); // the task's own failure comes first
                }
            }
            throw t;
        }
        lock.unlock(owner);
        return Outcome.RAN;
    }
}
