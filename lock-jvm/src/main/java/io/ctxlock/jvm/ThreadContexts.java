package io.ctxlock.jvm;

/**
 * The implicit form: one {@link Owner} per thread, found through a {@link ThreadLocal} (the one
 * thread-local of ctxlock; the explicit form, an owner passed by the caller, needs none). The
 * owner is created on a thread's first use and named after the thread, unless a host installed
 * its own with {@link #swap}.
 *
 * <pre>{@code
 * try (Scope s = ThreadContexts.enter(ContextKind.CALLBACK, "appender")) {
 *     appender.append(event);   // a ContextLock its caller holds now fails as NESTED
 * }
 * }</pre>
 */
public final class ThreadContexts {
    private static final ThreadLocal<Owner> OWNER =
            ThreadLocal.withInitial(() -> Owner.create(Thread.currentThread().getName()));

    private ThreadContexts() {}

    /** The calling thread's owner. */
    public static Owner current() {
        return OWNER.get();
    }

    /**
     * Makes {@code owner} the calling thread's implicit owner and returns the one it replaces: for a
     * host whose owner is not the thread (an event loop running one of its tasks, a simulator
     * stepping one of its CPUs), so that code using the {@code Lock} methods acts for it.
     * Allocation-free once the thread has had an owner; restore the previous owner when done:
     * <pre>{@code
     * Owner prev = ThreadContexts.swap(loopOwner);
     * try { task.run(); } finally { ThreadContexts.swap(prev); }
     * }</pre>
     */
    public static Owner swap(Owner owner) {
        if (owner == null) {
            throw new NullPointerException("swap: null owner");
        }
        Owner prev = OWNER.get();
        OWNER.set(owner);
        return prev;
    }

    /** {@link Owner#enter} on the calling thread's owner. */
    public static Scope enter(ContextKind kind, String contextName) {
        return OWNER.get().enter(kind, contextName);
    }
}
