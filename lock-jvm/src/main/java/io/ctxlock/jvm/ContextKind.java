package io.ctxlock.jvm;

/**
 * What a context on an owner's stack is. {@link #THREAD} is the base of every stack (depth 0);
 * the others are entered with {@link Owner#enter} and mark "the code below runs nested, inside
 * whatever the code above it holds", as a hardirq or an NMI does on a CPU in the kernel model.
 */
public enum ContextKind {
    /** The owner's own code: the base frame, never entered. The kernel model's task context. */
    THREAD,
    /** A callback or listener invoked by a library while it may hold its own locks. */
    CALLBACK,
    /** A Java agent's advice, woven into application code (OpenTelemetry's CallDepth case). */
    ADVICE,
    /** An event or channel handler run by an event loop or a dispatcher (Netty's channelRead case). */
    HANDLER
}
