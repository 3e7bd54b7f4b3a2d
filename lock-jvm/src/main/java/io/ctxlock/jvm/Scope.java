package io.ctxlock.jvm;

/**
 * An open context of an {@link Owner}, closed by try-with-resources. One instance per owner and
 * depth, reused by every {@link Owner#enter} at that depth, so a scope is valid until it is
 * closed: closing it again is reported while the depth is free, and would close a newer context
 * opened at the same depth afterwards, so do not keep scopes beyond their block.
 */
public final class Scope implements AutoCloseable {
    private final Owner owner;
    private final int level;

    Scope(Owner owner, int level) {
        this.owner = owner;
        this.level = level;
    }

    /** The owner whose context this is. */
    public Owner owner() {
        return owner;
    }

    /** This context's depth (1 for the first nested context). */
    public int depth() {
        return level;
    }

    /**
     * Leaves the context. Throws {@link ContextMisuseException} and leaves the owner as it was if
     * this is not the innermost open context, or if the context still holds a lock.
     */
    @Override
    public void close() {
        owner.exit(level);
    }
}
