package io.ctxlock.up;

import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * Proposal C: every lock of a group is a view of one shared word ({@code static atomic_t
 * pcp_UP_lock} in the thread; {@code atomic_try_cmpxchg(&pcp_UP_lock, 0, 1)}). Holding any lock of
 * the group makes a trylock of every other one fail, which is the price of "4 bytes in all".
 * {@code isLocked} reports the shared word. One instance per group and machine: the shared word is
 * this object's, the locks' own words are unused. The atomic of the proposal is a plain field here:
 * on one CPU only nested contexts race, and they never run in parallel.
 */
final class SharedWordLock extends LockWord {
    private int owner; //    plain; the CPU's thread only; OwnerTag of the holder, 0 when free
    private int holderId; // plain; which lock of the group holds the word (its id), 0 when free

    SharedWordLock(Machine machine) {
        super(machine);
    }

    @Override
    public boolean tryAcquire(SpinLock lock, int tag) {
        if (owner != OwnerTag.NO_OWNER) {
            return false;
        }
        owner = tag;
        holderId = lock.id();
        return true;
    }

    @Override
    public int owner(SpinLock lock) {
        return owner;
    }

    @Override
    public boolean heldBy(SpinLock lock, int tag) {
        return owner == tag && holderId == lock.id();
    }

    @Override
    public boolean release(SpinLock lock, int tag) {
        if (!heldBy(lock, tag)) {
            return false;
        }
        owner = OwnerTag.NO_OWNER;
        holderId = 0;
        return true;
    }

    @Override
    public boolean isLocked(SpinLock lock) {
        return owner != OwnerTag.NO_OWNER;
    }
}
