package io.ctxlock.api;

import java.util.Objects;

/**
 * A lock class: the kernel's notion of "all locks initialised at one place" (lockdep's
 * {@code struct lock_class_key}), and whether its locks are any-context: they may be trylocked
 * from any context.
 *
 * <p>Any-context is what proposal D of the RFC thread adds: a distinct type for the locks that a
 * {@code _nolock} API may trylock from NMI or a probe (pcp, {@code zone->lock}, the node partial
 * list lock, the barn lock). Backends that give state only to such locks
 * ({@code ANY_CONTEXT_CLASS} on UP) read it; the others ignore it. Immutable value class.
 */
public final class LockClass {
    private final String name;
    private final boolean anyContext;

    private LockClass(String name, boolean anyContext) {
        this.name = Objects.requireNonNull(name, "name");
        this.anyContext = anyContext;
    }

    /** An ordinary lock class: taken only from contexts its users know. */
    public static LockClass of(String name) {
        return new LockClass(name, false);
    }

    /** A class whose locks may be trylocked from any context, NMI and probes included. */
    public static LockClass anyContext(String name) {
        return new LockClass(name, true);
    }

    public String name() {
        return name;
    }

    /** Whether locks of this class may be trylocked from any context (proposal D). */
    public boolean isAnyContext() {
        return anyContext;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockClass && ((LockClass) o).name.equals(name)
                && ((LockClass) o).anyContext == anyContext;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + (anyContext ? 1 : 0);
    }

    @Override
    public String toString() {
        return anyContext ? name + " [any-context]" : name;
    }
}
