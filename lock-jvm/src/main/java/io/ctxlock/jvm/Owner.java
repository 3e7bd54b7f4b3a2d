package io.ctxlock.jvm;

import java.util.Objects;

/**
 * Whoever holds a {@link ContextLock}, with its stack of contexts: by default a thread
 * ({@link ThreadContexts#current()}), or any owner a host creates where a thread is not the right
 * one: an event loop whose tasks hop threads, a simulator's CPU, a session. The kernel model's
 * {@code Cpu}, with {@link ContextKind} contexts in the place of task/softirq/hardirq/NMI.
 *
 * <p><b>Threads.</b> An owner is used by one thread at a time (its thread, or its host's current
 * worker; a hand-over between threads needs a happens-before, as any executor gives). Nothing in
 * it is volatile and nothing is checked: the explicit-handle form is the hot path. {@link #enter}
 * and {@link Scope#close} allocate nothing: each depth has one reusable {@link Scope}.
 *
 * <p>Misuse throws {@link ContextMisuseException}: nesting deeper than {@link #MAX_DEPTH} and a
 * scope closed twice change nothing; a scope closed with inner contexts still open or with locks
 * still held closes them and releases the locks first (see {@link Scope#close()}), since an owner
 * stuck inside a callback would refuse every later unlock of its outer code.
 */
public final class Owner {
    /** Contexts an owner can have open, its base {@link ContextKind#THREAD} frame included. */
    public static final int MAX_DEPTH = 32;
    /** Default capacity of the queue of tasks deferred to one held lock's unlock. */
    public static final int DEFAULT_DEFER_CAPACITY = 1024;

    private final String name;
    private final int deferCapacity;
    private static final ContextKind[] KINDS = ContextKind.values();
    // Ordinals and names of the open contexts. Kinds are bytes and a closed frame's entries are left
    // behind (overwritten by the next enter): reference stores cost G1 a card-marking barrier each.
    private final byte[] kinds = new byte[MAX_DEPTH];
    private final String[] names = new String[MAX_DEPTH];
    private final Scope[] scopes = new Scope[MAX_DEPTH];
    private int depth;
    final HeldLocks held;

    private Owner(String name, int deferCapacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (deferCapacity < 1) {
            throw new IllegalArgumentException("defer capacity must be positive: " + deferCapacity);
        }
        this.deferCapacity = deferCapacity;
        this.held = new HeldLocks(this);
        kinds[0] = (byte) ContextKind.THREAD.ordinal();
        names[0] = name;
        for (int i = 1; i < MAX_DEPTH; i++) {
            scopes[i] = new Scope(this, i);
        }
    }

    /** A new owner named {@code name} (for reports), with the default defer capacity. */
    public static Owner create(String name) {
        return new Owner(name, DEFAULT_DEFER_CAPACITY);
    }

    /** A new owner whose deferred-task queues hold at least {@code deferCapacity} tasks each. */
    public static Owner create(String name, int deferCapacity) {
        return new Owner(name, deferCapacity);
    }

    /**
     * Marks the code until the returned scope's {@link Scope#close() close} as nested: a callback,
     * advice or handler running inside whatever this owner's outer contexts hold. Use it in
     * try-with-resources, so that an exception closes it too.
     */
    public Scope enter(ContextKind kind, String contextName) {
        Objects.requireNonNull(contextName, "contextName");
        if (kind == null || kind == ContextKind.THREAD) {
            throw new IllegalArgumentException("only a nested kind can be entered, not " + kind);
        }
        if (depth + 1 == MAX_DEPTH) {
            throw new ContextMisuseException(this, "context nesting deeper than " + MAX_DEPTH + " entering "
                    + name(kind, contextName));
        }
        int d = ++depth;
        kinds[d] = (byte) kind.ordinal();
        names[d] = contextName;
        return scopes[d];
    }

    /**
     * {@link Scope#close()}. A scope closed twice throws and changes nothing. A scope closed while
     * contexts inside it are still open, or while it (or they) still hold locks, is a bug too, but
     * one that must not leave the thread inside a callback for good: the contexts are closed and the
     * locks released on their behalf (innermost first, each unlock running its deferred tasks), and
     * then the exception says what was released.
     */
    void exit(int level) {
        if (level > depth) {
            throw new ContextMisuseException(this, "closing a scope that is already closed (" + contextStack() + ")");
        }
        if (level == depth && held.deepest() < level) {
            depth = level - 1;
            return;
        }
        String what = level < depth ? "closing " + frameName(level) + " while " + frameName(depth) + " is still open"
                : frameName(level) + " returns holding " + held.namesFrom(level);
        ContextMisuseException e = new ContextMisuseException(this, what
                + ": closed, and its locks released, on its behalf");
        while (depth >= level) {
            for (int slot = held.topAt(depth); slot >= 0; slot = held.topAt(depth)) {
                ContextLock lock = held.lock(slot);
                try {
                    lock.unlock(this); // runs its deferred tasks, which may take or drop other locks
                } catch (Throwable f) {
                    if (f != e) {
                        e.addSuppressed(f); // a deferred task's failure; the lock is released anyway
                    }
                }
                int still = held.find(lock);
                if (still >= 0 && held.depth(still) == depth) {
                    int dropped = lock.forceRelease(this, still); // its unlock failed before the release
                    if (dropped > 0) {
                        e.addSuppressed(new IllegalStateException(dropped + " tasks deferred to " + lock.name()
                                + " dropped with it"));
                    }
                }
            }
            depth--;
        }
        throw e;
    }

    /** The owner's name. */
    public String name() {
        return name;
    }

    /** The running context's depth: 0 for the owner's own code, 1 inside one entered scope, .... */
    public int depth() {
        return depth;
    }

    /** The running context's kind. */
    public ContextKind context() {
        return KINDS[kinds[depth]];
    }

    /** The running context as reports print it, {@code "callback(appender)"}. */
    public String contextName() {
        return frameName(depth);
    }

    /** All open contexts, outermost first: {@code "thread(main) > callback(appender)"}. */
    public String contextStack() {
        StringBuilder b = new StringBuilder(frameName(0));
        for (int i = 1; i <= depth; i++) {
            b.append(" > ").append(frameName(i));
        }
        return b.toString();
    }

    /** The context at {@code level} (0 to {@link #depth()}), as reports print it. */
    String frameName(int level) {
        return name(KINDS[kinds[level]], names[level]);
    }

    int deferCapacity() {
        return deferCapacity;
    }

    private static String name(ContextKind kind, String contextName) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + contextName + ")";
    }

    @Override
    public String toString() {
        return "Owner[" + name + ", " + contextStack() + ", holding " + held + "]";
    }
}
