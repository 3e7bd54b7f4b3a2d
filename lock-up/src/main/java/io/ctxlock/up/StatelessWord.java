package io.ctxlock.up;

import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
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
 * kernel would silently "succeed" and the two unlocks would then unbalance preemption. The shadow
 * is the lock's word (the kernel's is empty), through a {@link HolderTable} for depths past 31.
 */
final class StatelessWord extends LockWord {
    private static final int SHIFT = 0; // the whole word is the shadow
    private final HolderTable holders; // the shadow: bit per depth in the word (deep ones beside it)

    StatelessWord(Machine machine) {
        super(machine, false); // _raw_spin_trylock() on UP non-debug is ({ __LOCK(lock); 1; })
        this.holders = new HolderTable();
    }

    @Override
    public boolean tryAcquire(SpinLock lock, int tag) {
        int w = wordPlain(lock);
        int depth = OwnerTag.depth(tag);
        if (holders.holds(lock, w, depth, SHIFT)) {
            return false;
        }
        setWordPlain(lock, holders.add(lock, w, depth, SHIFT));
        return true;
    }

    @Override
    public int owner(SpinLock lock) {
        int d = holders.deepest(lock, wordPlain(lock), SHIFT);
        return d < 0 ? OwnerTag.NO_OWNER : OwnerTag.of(0, d);
    }

    @Override
    public boolean heldBy(SpinLock lock, int tag) {
        return holders.holds(lock, wordPlain(lock), OwnerTag.depth(tag), SHIFT);
    }

    @Override
    public boolean release(SpinLock lock, int tag) {
        int w = wordPlain(lock);
        int depth = OwnerTag.depth(tag);
        if (!holders.holds(lock, w, depth, SHIFT)) {
            return false;
        }
        setWordPlain(lock, holders.remove(lock, w, depth, SHIFT));
        return true;
    }

    @Override
    public boolean isLocked(SpinLock lock) {
        return false; // arch_spin_is_locked() on UP non-debug: ((void)(lock), 0)
    }
}
