package io.ctxlock.up;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;
import io.ctxlock.api.spi.Splat;

/**
 * The UP spinlock with CONFIG_DEBUG_SPINLOCK: {@code arch_spinlock_t.slock} of
 * {@code include/linux/spinlock_up.h} plus the owner fields and checks of
 * {@code kernel/locking/spinlock_debug.c}.
 *
 * <ul>
 * <li>trylock of a held lock: fails, and {@code do_raw_spin_trylock()} reports
 *     {@code SPIN_BUG_ON(!ret, lock, "trylock failure on UP")}.
 * <li>lock() of a lock held by an interrupted context: {@code debug_spin_lock_before()} reports
 *     "cpu recursion"; then, as KERNEL-SEMANTICS section 2 describes (the
 *     {@code __spin_lock_debug()} loop of kernels before 4.12), "lockup suspected" after about a
 *     second of spinning, and the lock is taken anyway. The second of spinning is not modeled (the
 *     report is written at once, so runs stay deterministic); both contexts then own the lock
 *     ({@link SpinLock#isHeldByCurrentContext} is true for each) until each unlocks.
 * </ul>
 */
final class DebugWord extends LockWord {
    private long holders; // plain; the CPU's thread only; bit per depth of each context owning slock
    private int owner; //    plain; the kernel's lock->owner/owner_cpu: the last context that took it

    @Override
    public boolean tryAcquire(int tag) {
        if (holders != 0) {
            return false;
        }
        holders = 1L << OwnerTag.depth(tag);
        owner = tag;
        return true;
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
        holders &= ~(1L << OwnerTag.depth(tag));
        owner = holders == 0 ? OwnerTag.NO_OWNER : OwnerTag.of(0, 63 - Long.numberOfLeadingZeros(holders));
    }

    @Override
    public boolean isLocked() {
        return holders != 0;
    }

    @Override
    public void onTryLockFailed(Cpu cpu, SpinLock lock) {
        cpu.machine().kernelLog().printk(cpu, Splat.spinlock(cpu, lock, owner, "trylock failure on UP"));
    }

    @Override
    public boolean onRecursion(Cpu cpu, int tag, SpinLock lock) {
        cpu.machine().kernelLog().printk(cpu, Splat.spinlock(cpu, lock, owner, "cpu recursion"));
        cpu.machine().kernelLog().printk(cpu, Splat.spinlock(cpu, lock, owner, "lockup suspected"));
        holders |= 1L << OwnerTag.depth(tag);
        owner = tag;
        return true;
    }
}
