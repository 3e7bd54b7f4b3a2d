package io.ctxlock.explore;

/**
 * One event of a recorded run: what happened, on which CPU, at which nesting depth, in which
 * context, with the locks held by that CPU after it.
 *
 * @param index position in the run, from 0 (the timeline's clock)
 * @param cpu the CPU
 * @param depth nesting depth of the context (0 = task)
 * @param context the context stack, e.g. {@code "task > NMI(kmalloc_nolock)"}
 * @param type what happened
 * @param detail the lock, label, reason or invariant
 * @param heldLocks the CPU's held-lock stack after the event
 */
public record TraceEvent(int index, int cpu, int depth, String context, Type type, String detail, String heldLocks) {
    /** Kinds of trace event. */
    public enum Type {
        ENTER, EXIT, ACQUIRE, RELEASE, TRY_FAILED, PROBE_MISSED, POINT, INJECT, BUG
    }

    @Override
    public String toString() {
        return String.format("%4d CPU%d %-8s %-34s %s   [held: %s]", index, cpu, type, "  ".repeat(depth) + context,
                detail, heldLocks);
    }
}
