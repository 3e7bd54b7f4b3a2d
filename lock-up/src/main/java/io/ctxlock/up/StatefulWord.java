package io.ctxlock.up;

import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * Proposal B: the UP spinlock with a {@code locked} word, like the debug variant's {@code slock}
 * but without the reports. A trylock of a held lock fails and changes nothing; the owner tag in the
 * word says whether the holder is the caller's context or one it interrupted. Also the per-lock
 * word of proposal D for any-context classes. The word (the holder's tag, 0 when free) is plain:
 * the CPU's thread only. One instance serves every such lock of a machine.
 */
final class StatefulWord extends LockWord {
    StatefulWord(Machine machine) {
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
