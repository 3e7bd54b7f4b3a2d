package io.ctxlock.jvm;

/** The text of every report: what happened, then the owner, its contexts and the locks it holds. */
final class Splat {
    private Splat() {}

    static String of(Owner owner, String what) {
        return what + "\n owner: " + owner.name() + ", thread: " + Thread.currentThread().getName()
                + "\n contexts: " + owner.contextStack() + "\n held locks: " + owner.held;
    }
}
