package io.ctxlock.jvm;

/**
 * Running the tasks a nested context deferred to a lock's unlock ({@link NestedPolicy#DEFER}):
 * the kernel's {@code free_deferred_objects()} after the lock is dropped, except that here the
 * tasks asked for the lock, so they run just before the release, still under it, in the
 * holder's context and in the order they were queued. A task that defers again (a subscriber
 * emitting from {@code onNext}) lands at the end of the same queue: a trampoline, not a recursion.
 */
final class Deferred {
    private Deferred() {}

    /**
     * Runs every task deferred to {@code lock} by {@code owner}'s nested contexts; returns the first
     * failure (later ones suppressed into it) for the caller to throw after the release. A task that
     * defers itself again on every run never lets the drain end, as any endless loop under a lock.
     */
    static Throwable drain(ContextLock lock, Owner owner, int slot) {
        Throwable first = null;
        int s = slot;
        for (Runnable task = owner.held.nextDeferred(s); task != null; task = owner.held.nextDeferred(s)) {
            try {
                task.run();
            } catch (Throwable e) { // checked ones too, thrown sneakily: the drain must reach the release
                if (first == null) {
                    first = e;
                } else if (e != first) {
                    first.addSuppressed(e);
                }
            }
            s = owner.held.find(lock); // a task may have taken or released other locks
            if (s < 0) {
                break; // it released this one: unlock() reports that
            }
        }
        return first;
    }

    /** Throws {@code t} as it is (a RuntimeException, an Error, or a checked exception a task threw sneakily). */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
