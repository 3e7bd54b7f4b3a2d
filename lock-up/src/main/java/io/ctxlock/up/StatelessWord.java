package io.ctxlock.up;

import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * The UP non-debug spinlock ({@code include/linux/spinlock_api_up.h}: {@code ___LOCK(lock)} is
 * {@code (void)(lock)}, {@code _raw_spin_trylock} is {@code ({ __LOCK(lock); 1; })}). The kernel
 * keeps no state, so every lock and trylock from another context succeeds and
 * {@code spin_is_locked} is 0.
 *
 * <p>The model keeps a shadow of who called lock and not yet unlock, one bit per context depth,
 * which no kernel decision reads: it only lets the model report an unlock of an unlocked lock and
 * a handler that leaks a lock. One deviation, stated: a context that takes the lock twice itself
 * is refused (the trylock fails with {@code SAME_CONTEXT}, lock() throws recursion), where the
 * kernel would silently "succeed" and the two unlocks would then unbalance preemption.
 */
final class StatelessWord extends LockWord {
    private long holders; // plain; the CPU's thread only; shadow bit per depth, never decides a lock

    @Override
    public boolean tryAcquire(int tag) {
        long bit = 1L << OwnerTag.depth(tag);
        if ((holders & bit) != 0) {
            return false;
        }
        holders |= bit;
        return true;
    }

    @Override
    public int owner() {
        return holders == 0 ? OwnerTag.NO_OWNER : OwnerTag.of(0, 63 - Long.numberOfLeadingZeros(holders));
    }

    @Override
    public boolean heldBy(int tag) {
        return (holders & (1L << OwnerTag.depth(tag))) != 0;
    }

    @Override
    public void release(int tag) {
        holders &= ~(1L << OwnerTag.depth(tag));
    }

    @Override
    public boolean isLocked() {
        return false; // arch_spin_is_locked() on UP non-debug: ((void)(lock), 0)
    }

    @Override
    public boolean trylockCanFail() {
        return false; // _raw_spin_trylock() on UP non-debug is ({ __LOCK(lock); 1; })
    }
}
