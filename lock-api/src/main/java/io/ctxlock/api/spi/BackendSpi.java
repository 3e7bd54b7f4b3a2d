package io.ctxlock.api.spi;

import io.ctxlock.api.Backend;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;

/**
 * What a backend module implements: a {@link Backend} that can be attached to a machine.
 * Exported to every module: implement it (with {@link LockWord}) to add a backend of your own.
 */
public interface BackendSpi extends Backend {
    /**
     * Called once by the {@link Machine} constructor: returns the factory of this machine's lock
     * words. Any state shared between locks (a shared word, an idle strategy per CPU) lives in
     * the returned object, never in the backend, so one backend value may serve many machines.
     */
    LockWordFactory attach(Machine machine);

    /** The per-machine half of a backend. */
    interface LockWordFactory {
        /** A word for a new lock of the given class ({@code spin_lock_init}). */
        LockWord newLockWord(String lockName, LockClass lockClass);
    }
}
