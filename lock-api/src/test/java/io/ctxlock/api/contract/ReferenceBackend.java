package io.ctxlock.api.contract;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.spi.BackendSpi;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * The simplest correct backend for single-threaded tests: one owner tag per lock, in a plain
 * field. It exists so that lock-api can test its own bookkeeping without depending on a backend
 * module; the real backends live in lock-up and lock-smp and run the same contract. It allows up
 * to 8 CPUs, all to be driven from one thread (cross-CPU misuse tests need two).
 */
public final class ReferenceBackend implements BackendSpi {
    @Override
    public String name() {
        return "REFERENCE";
    }

    @Override
    public int maxCpus() {
        return 8;
    }

    @Override
    public LockWordFactory attach(Machine machine) {
        return (String lockName, LockClass lockClass) -> new Word();
    }

    private static final class Word extends LockWord {
        private int owner;

        @Override
        public boolean tryAcquire(int tag) {
            if (owner != OwnerTag.NO_OWNER) {
                return false;
            }
            owner = tag;
            return true;
        }

        @Override
        public int owner() {
            return owner;
        }

        @Override
        public boolean heldBy(int tag) {
            return owner == tag;
        }

        @Override
        public void release(int tag) {
            owner = OwnerTag.NO_OWNER;
        }

        @Override
        public boolean isLocked() {
            return owner != OwnerTag.NO_OWNER;
        }
    }
}
