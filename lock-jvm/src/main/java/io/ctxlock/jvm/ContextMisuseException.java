package io.ctxlock.jvm;

/**
 * Misuse of an owner's contexts (a scope closed out of order or twice, a context that returns
 * holding a lock, nesting too deep) or of its lock table. Thrown before anything changed, except
 * by a scope that closes with inner contexts open or locks held, which first closes and releases
 * them (see {@link Scope#close()}); the message then says so. It reads like a kernel splat: what
 * happened, then the owner, its contexts and its locks as they were.
 */
public class ContextMisuseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String ownerName;
    private final String context;

    ContextMisuseException(Owner owner, String what) {
        super(Splat.of(owner, what));
        this.ownerName = owner.name();
        this.context = owner.contextName();
    }

    /** The owner's name. */
    public String ownerName() {
        return ownerName;
    }

    /** The context that was running, as reports print it. */
    public String context() {
        return context;
    }
}
