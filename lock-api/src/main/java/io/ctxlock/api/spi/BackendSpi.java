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
     * words. Any state shared between locks (a shared word, an idle strategy per CPU, a per-lock
     * table) lives in the returned object or the words it hands out, never in the backend, so one
     * backend value may serve many machines.
     */
    LockWordFactory attach(Machine machine);

    /** The per-machine half of a backend. */
    interface LockWordFactory {
        /**
         * The operations for a new lock of the given class ({@code spin_lock_init}): a
         * {@link LockWord} of this machine, usually one instance shared by many locks (the lock's
         * own state is its int word). Called on the thread that creates the lock.
         */
        LockWord newLockWord(String lockName, LockClass lockClass);
    }
}
