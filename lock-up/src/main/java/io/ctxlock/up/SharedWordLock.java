package io.ctxlock.up;

import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * Proposal C: every lock of a group is a view of one shared word ({@code static atomic_t
 * pcp_UP_lock} in the thread; {@code atomic_try_cmpxchg(&pcp_UP_lock, 0, 1)}). Holding any lock of
 * the group makes a trylock of every other one fail, which is the price of "4 bytes in all".
 * {@code isLocked} reports the shared word. The atomic of the proposal is a plain field here: on
 * one CPU only nested contexts race, and they never run in parallel.
 */
final class SharedWordLock extends LockWord {
    /** The shared word of a group, per machine. */
    static final class Cell {
        int owner; //          plain; the CPU's thread only; OwnerTag of the holder, 0 when free
        SharedWordLock holder; // plain; which lock of the group holds the word
    }

    private final Cell cell;

    SharedWordLock(Cell cell) {
        this.cell = cell;
    }

    @Override
    public boolean tryAcquire(int tag) {
        if (cell.owner != OwnerTag.NO_OWNER) {
            return false;
        }
        cell.owner = tag;
        cell.holder = this;
        return true;
    }

    @Override
    public int owner() {
        return cell.owner;
    }

    @Override
    public boolean heldBy(int tag) {
        return cell.owner == tag && cell.holder == this;
    }

    @Override
    public void release(int tag) {
        cell.owner = OwnerTag.NO_OWNER;
        cell.holder = null;
    }

    @Override
    public boolean isLocked() {
        return cell.owner != OwnerTag.NO_OWNER;
    }
}
