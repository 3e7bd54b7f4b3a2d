package io.ctxlock.jvm;

/**
 * What {@link ContextLock#execute} does with a task whose lock its own owner already holds (a
 * nested entry: {@link LockResult#NESTED} or {@link LockResult#SAME_CONTEXT}). {@code lock()}
 * never follows a policy: it throws {@link NestedLockException}, since it must return holding the
 * lock and cannot without re-entering or deadlocking.
 */
public enum NestedPolicy {
    /** Throw {@link NestedLockException}, naming the lock, the owner and both contexts. */
    THROW,
    /** Skip the task and count it ({@link ContextLockClass#dropped()}): logback's ReentryGuard. */
    DROP,
    /**
     * Queue the task and run it at the holder's unlock, in order, under the lock: the kernel's
     * deferred free ({@code kfree_nolock()}'s {@code defer_free()}) for plain Java.
     */
    DEFER
}
