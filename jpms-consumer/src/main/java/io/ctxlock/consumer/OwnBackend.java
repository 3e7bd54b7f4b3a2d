package io.ctxlock.consumer;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
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
        Word word = new Word(machine); // the per-lock state is each lock's own word
        return (String lockName, LockClass lockClass) -> word;
    }

    /** The holder's tag in the lock's word, or {@link OwnerTag#NO_OWNER}; one CPU, so plain accesses. */
    private static final class Word extends LockWord {
        Word(Machine machine) {
            super(machine);
        }

        @Override
        public boolean tryAcquire(SpinLock lock, int tag) {
            if (wordPlain(lock) != OwnerTag.NO_OWNER) {
                return false;
            }
            setWordPlain(lock, tag);
            return true;
        }

        @Override
        public int owner(SpinLock lock) {
            return wordPlain(lock);
        }

        @Override
        public boolean heldBy(SpinLock lock, int tag) {
            return wordPlain(lock) == tag;
        }

        @Override
        public boolean release(SpinLock lock, int tag) {
            if (wordPlain(lock) != tag) {
                return false;
            }
            setWordPlain(lock, OwnerTag.NO_OWNER);
            return true;
        }

        @Override
        public boolean isLocked(SpinLock lock) {
            return wordPlain(lock) != OwnerTag.NO_OWNER;
        }
    }
}
