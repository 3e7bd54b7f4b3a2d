package io.ctxlock.up;

import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * Proposal B: the UP spinlock with a {@code locked} word, like the debug variant's {@code slock}
 * but without the reports. A trylock of a held lock fails and changes nothing; the owner tag in the
 * word says whether the holder is the caller's context or one it interrupted. Also the per-lock
 * word of proposal D for any-context classes.
 */
final class StatefulWord extends LockWord {
    private int owner; // plain; the CPU's thread only; OwnerTag of the holder, 0 when free

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
