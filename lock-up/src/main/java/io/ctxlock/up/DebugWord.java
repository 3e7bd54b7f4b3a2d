package io.ctxlock.up;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;
import io.ctxlock.api.spi.Splat;

/**
 * The UP spinlock with CONFIG_DEBUG_SPINLOCK, as since v4.11: {@code arch_spinlock_t.slock} of
 * {@code include/linux/spinlock_up.h} (one word, 1 free and 0 held, shared by every holder) plus
 * {@code owner}/{@code owner_cpu} and the checks of {@code kernel/locking/spinlock_debug.c}.
 *
 * <ul>
 * <li>trylock ({@code do_raw_spin_trylock()}): {@code arch_spin_trylock()} clears slock and
 *     succeeds if it was set; a failure reports {@code SPIN_BUG_ON(!ret, lock, "trylock failure on
 *     UP")}.
 * <li>lock() of a lock held on this CPU by an interrupted context ({@code do_raw_spin_lock()}):
 *     {@code debug_spin_lock_before()} reports "recursion" ({@code owner == current}: in an
 *     interrupt {@code current} is still the interrupted task), then {@code arch_spin_lock()} clears
 *     slock without spinning and {@code debug_spin_lock_after()} makes the caller the owner. No
 *     lockup report: {@code __spin_lock_debug()} and its "lockup suspected" loop are gone since v4.11.
 * <li>unlock ({@code debug_spin_unlock()}): "already unlocked", "wrong owner", "wrong CPU" in that
 *     order, then owner cleared and slock set. So a nested lock() + unlock() leaves the lock FREE
 *     while the interrupted holder is still inside: a later trylock succeeds, and the holder's
 *     own unlock finds "already unlocked".
 * <li>Every report goes through {@code spin_bug()}: only if {@code debug_locks_off()} returns true
 *     ({@link io.ctxlock.api.Machine#debugLocksOff()}), so only the first lock-debugging report of
 *     a machine prints, and the lock validator is off after it.
 * </ul>
 *
 * <p>The lock's word packs the kernel's state, bit 8 {@code slock == 0} (held) and bits 0..7
 * {@code owner} as the owning context's depth + 1, 0 for {@code SPINLOCK_OWNER_INIT} (with
 * {@code owner_cpu} -1; on one CPU a set owner's {@code owner_cpu} is 0), with the
 * model's own bookkeeping of which contexts hold the lock above them (a {@link HolderTable}: bits
 * 9..31 for depths 0..22, deeper ones in its table), as lockdep's held-lock stack would, so that
 * {@link SpinLock} can check an unlock and name holders in reports. A second lock() in the same context is
 * {@link io.ctxlock.api.LockMisuseException.Recursion} in the model, where the kernel would report
 * "recursion" and carry on; the "bad magic" check has no counterpart (a model lock cannot be
 * uninitialised).
 */
final class DebugWord extends LockWord {
    private static final int OWNER = 0xff; //     depth + 1 of lock->owner, 0 for SPINLOCK_OWNER_INIT
    private static final int SLOCK_HELD = 1 << 8;
    private static final int HOLDERS = 9; //      holder bits from here up: depths 0..22
    private final HolderTable holders = new HolderTable();

    DebugWord(Machine machine) {
        super(machine);
    }

    private static int owner(int w) {
        int d = w & OWNER;
        return d == 0 ? OwnerTag.NO_OWNER : OwnerTag.of(0, d - 1);
    }

    @Override
    public boolean tryAcquire(SpinLock lock, int tag) {
        int w = wordPlain(lock);
        if ((w & SLOCK_HELD) != 0) {
            return false; // arch_spin_trylock(): slock was already 0
        }
        take(lock, w, tag);
        return true;
    }

    /** slock = 0; debug_spin_lock_after(): owner = current; and the model's holder bit. */
    private void take(SpinLock lock, int w, int tag) {
        int depth = OwnerTag.depth(tag);
        int held = holders.add(lock, w, depth, HOLDERS);
        setWordPlain(lock, held & ~OWNER | SLOCK_HELD | depth + 1);
    }

    @Override
    public int owner(SpinLock lock) {
        return owner(wordPlain(lock));
    }

    @Override
    public boolean heldBy(SpinLock lock, int tag) {
        return holders.holds(lock, wordPlain(lock), OwnerTag.depth(tag), HOLDERS);
    }

    @Override
    public boolean release(SpinLock lock, int tag) {
        int w = wordPlain(lock);
        if (!holders.holds(lock, w, OwnerTag.depth(tag), HOLDERS)) {
            return false; // the model's refusal (SpinLock reports it); the kernel's checks follow
        }
        Cpu cpu = machine().cpu(OwnerTag.cpu(tag));
        if ((w & SLOCK_HELD) == 0) { // debug_spin_unlock()
            spinBug(cpu, lock, "already unlocked");
        } else if (owner(w) == OwnerTag.NO_OWNER) {
            spinBug(cpu, lock, "wrong owner");
        } else if (OwnerTag.cpu(owner(w)) != cpu.id()) {
            spinBug(cpu, lock, "wrong CPU");
        }
        int left = holders.remove(lock, w, OwnerTag.depth(tag), HOLDERS);
        setWordPlain(lock, left & ~(OWNER | SLOCK_HELD)); // owner = SPINLOCK_OWNER_INIT; arch_spin_unlock(): slock = 1
        return true;
    }

    @Override
    public boolean isLocked(SpinLock lock) {
        return (wordPlain(lock) & SLOCK_HELD) != 0;
    }

    @Override
    public void onTryLockFailed(Cpu cpu, SpinLock lock) {
        spinBug(cpu, lock, "trylock failure on UP");
    }

    @Override
    public boolean onRecursion(Cpu cpu, SpinLock lock, int tag) {
        spinBug(cpu, lock, owner(lock) != OwnerTag.NO_OWNER ? "recursion" : "cpu recursion");
        take(lock, wordPlain(lock), tag); // arch_spin_lock() on UP: slock = 0, no spinning
        return true;
    }

    /** {@code spin_bug()}: prints {@code spin_dump()} only if this switches debug_locks off. */
    private void spinBug(Cpu cpu, SpinLock lock, String msg) {
        Machine machine = machine();
        if (machine.debugLocksOff()) {
            int owner = owner(lock);
            machine.kernelLog().printk(cpu, Splat.spinDump(cpu, lock.name(), owner != OwnerTag.NO_OWNER,
                    owner == OwnerTag.NO_OWNER ? -1 : OwnerTag.cpu(owner), msg));
        }
    }
}
