package io.ctxlock.jvm;

/** What {@link ContextLock#execute} did with its task. */
public enum Outcome {
    /** The task ran under the lock and the lock was released. */
    RAN,
    /** Nested entry under {@link NestedPolicy#DROP}: the task was skipped and counted. */
    DROPPED,
    /** Nested entry under {@link NestedPolicy#DEFER}: the task runs at the holder's unlock. */
    DEFERRED
}
