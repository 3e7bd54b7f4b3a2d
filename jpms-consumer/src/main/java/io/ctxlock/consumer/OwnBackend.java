package io.ctxlock.consumer;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.spi.BackendSpi;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * A backend from outside the project: one CPU, a lock word per lock that remembers its holder (the
 * same semantics as proposal B). It exists to prove that the SPI can be implemented by anyone; the
 * test runs lock-api's contract against it.
 */
public final class OwnBackend implements BackendSpi {
    /** The backend; one value may serve many machines. */
    public OwnBackend() {}

    @Override
    public String name() {
        return "consumer/own-word";
    }

    @Override
    public int maxCpus() {
        return 1;
    }

    @Override
    public LockWordFactory attach(Machine machine) {
        return (String lockName, LockClass lockClass) -> new Word();
    }

    /** The holder's tag, or {@link OwnerTag#NO_OWNER}; one CPU, so plain fields. */
    private static final class Word extends LockWord {
        private int owner = OwnerTag.NO_OWNER; // plain; the CPU's thread only

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
