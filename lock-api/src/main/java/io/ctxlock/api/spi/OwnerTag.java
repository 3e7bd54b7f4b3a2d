package io.ctxlock.api.spi;

/**
 * The owner of a lock as one int: the CPU and the nesting depth of the context that took it.
 *
 * <pre>
 *   tag = (cpu + 1) &lt;&lt; 8 | depth      depth 0 = task, 1.. = nested contexts on that CPU
 *   NO_OWNER = 0
 * </pre>
 *
 * <p>A context cannot return while it holds a lock, so on the owner's CPU the frame at
 * {@code depth} is still the one that took it: comparing the caller's tag with the owner's tells
 * at once "another CPU" from "code I interrupted" from "myself". Backends that keep state store a
 * tag in their lock word, which is what lets one atomic word answer why a trylock failed.
 */
public final class OwnerTag {
    /** No owner: the lock is free, or the backend keeps no owner. */
    public static final int NO_OWNER = 0;
    /** Depths fit in the low byte. */
    public static final int MAX_DEPTH = 0xff;

    private OwnerTag() {}

    public static int of(int cpu, int depth) {
        return (cpu + 1) << 8 | depth;
    }

    public static int cpu(int tag) {
        return (tag >>> 8) - 1;
    }

    public static int depth(int tag) {
        return tag & MAX_DEPTH;
    }
}
