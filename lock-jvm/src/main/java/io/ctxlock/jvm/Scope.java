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
     * Leaves the context. If contexts inside it are still open, or locks taken in it or them are
     * still held, it closes and releases them first and then throws {@link ContextMisuseException}
     * naming them, so that the owner is back where it was before {@link Owner#enter}; a scope
     * closed twice throws and changes nothing.
     */
    @Override
    public void close() {
        owner.exit(level);
    }
}
