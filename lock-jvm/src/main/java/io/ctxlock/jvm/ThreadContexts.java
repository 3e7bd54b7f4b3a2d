package io.ctxlock.jvm;

/**
 * The implicit form: one {@link Owner} per thread, found through a {@link ThreadLocal} (the one
 * thread-local of ctxlock; the explicit form, an owner passed by the caller, needs none). The
 * owner is created on a thread's first use and named after the thread.
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

    /** {@link Owner#enter} on the calling thread's owner. */
    public static Scope enter(ContextKind kind, String contextName) {
        return OWNER.get().enter(kind, contextName);
    }
}
