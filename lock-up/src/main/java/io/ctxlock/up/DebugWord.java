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
 * <p>Beside the kernel's state the word keeps the model's own bookkeeping of which contexts hold
 * it ({@code holders}, as lockdep's held-lock stack would), so that {@link SpinLock} can check an
 * unlock and name holders in reports. A second lock() in the same context is
 * {@link io.ctxlock.api.LockMisuseException.Recursion} in the model, where the kernel would report
 * "recursion" and carry on; the "bad magic" check has no counterpart (a model lock cannot be
 * uninitialised).
 */
final class DebugWord extends LockWord {
    private final Machine machine;
    private final String name;
    private boolean slockHeld; // plain; the CPU's thread only; slock == 0
    private int owner = OwnerTag.NO_OWNER; // plain; lock->owner and owner_cpu: the context that last took it
    private long holders; // plain; the model's bookkeeping: bit per depth of each context holding it

    DebugWord(Machine machine, String name) {
        this.machine = machine;
        this.name = name;
    }

    @Override
    public boolean tryAcquire(int tag) {
        boolean was = !slockHeld;
        slockHeld = true; // arch_spin_trylock(): slock = 0 whatever it was
        if (was) {
            take(tag);
        }
        return was;
    }

    private void take(int tag) {
        owner = tag; // debug_spin_lock_after()
        holders |= 1L << OwnerTag.depth(tag);
    }

    @Override
    public int owner() {
        return owner;
    }

    @Override
    public boolean heldBy(int tag) {
        return (holders & (1L << OwnerTag.depth(tag))) != 0;
    }

    @Override
    public void release(int tag) {
        Cpu cpu = machine.cpu(OwnerTag.cpu(tag));
        if (!slockHeld) { // debug_spin_unlock()
            spinBug(cpu, "already unlocked");
        } else if (owner == OwnerTag.NO_OWNER) {
            spinBug(cpu, "wrong owner");
        } else if (OwnerTag.cpu(owner) != cpu.id()) {
            spinBug(cpu, "wrong CPU");
        }
        holders &= ~(1L << OwnerTag.depth(tag));
        owner = OwnerTag.NO_OWNER;
        slockHeld = false; // arch_spin_unlock(): slock = 1
    }

    @Override
    public boolean isLocked() {
        return slockHeld;
    }

    @Override
    public void onTryLockFailed(Cpu cpu, SpinLock lock) {
        spinBug(cpu, "trylock failure on UP");
    }

    @Override
    public boolean onRecursion(Cpu cpu, int tag, SpinLock lock) {
        spinBug(cpu, owner != OwnerTag.NO_OWNER ? "recursion" : "cpu recursion");
        slockHeld = true; // arch_spin_lock() on UP: slock = 0, no spinning
        take(tag);
        return true;
    }

    /** {@code spin_bug()}: prints {@code spin_dump()} only if this switches debug_locks off. */
    private void spinBug(Cpu cpu, String msg) {
        if (machine.debugLocksOff()) {
            machine.kernelLog().printk(cpu, Splat.spinDump(cpu, name, owner != OwnerTag.NO_OWNER,
                    owner == OwnerTag.NO_OWNER ? -1 : OwnerTag.cpu(owner), msg));
        }
    }
}
