package io.ctxlock.api;

import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * What a {@link SpinLock} does when its word is held, from the owner tag the word names: a
 * {@code lock()} that finds its own CPU's context as holder is recursion ({@code spin_bug(lock,
 * "recursion")} in {@code debug_spin_lock_before()}; the UP debug word reports and proceeds), or,
 * on a stepped machine of several CPUs, spins as a kernel without CONFIG_DEBUG_SPINLOCK does until
 * the stepper decides the lockup; one that finds another CPU spins in the backend ({@code arch_spin_lock()}); a failed trylock says
 * OTHER_CPU, NESTED or SAME_CONTEXT. The CPU's bound thread only, after the lock's own checks.
 */
final class SpinContention {
    private SpinContention() {}

    /** Takes the word (preemption already off) and records the hold. */
    static void acquire(SpinLock lock, LockWord ops, Cpu cpu, int subclass) {
        int tag = cpu.ownerTag;
        if (!ops.tryAcquire(lock, tag)) {
            int owner = ops.owner(lock);
            if (owner != OwnerTag.NO_OWNER && OwnerTag.cpu(owner) == cpu.id() && spinsOnItself(cpu)) {
                Lockdep v = cpu.lockdep;
                if (v != null) { // lock_acquire() runs before arch_spin_lock(): its report comes before the hang
                    v.acquired(cpu, lock, false, subclass, true);
                }
                ops.acquireContended(cpu, lock, tag); // does not return: only this CPU's lower context can unlock
                throw new IllegalStateException(lock.name() + " was released under CPU#" + cpu.id() + " spinning on it");
            } else if (owner != OwnerTag.NO_OWNER && OwnerTag.cpu(owner) == cpu.id()) {
                boolean nested = OwnerTag.depth(owner) < cpu.depth;
                if (!nested || !ops.onRecursion(cpu, lock, tag)) {
                    throw Misuse.lock(LockMisuseException.Recursion::new, cpu, lock, owner,
                            nested ? "cpu recursion" : "recursion");
                }
            } else {
                ops.acquireContended(cpu, lock, tag);
            }
        }
        cpu.noteAcquired(lock, lock.id, false, subclass, true);
    }

    /**
     * On a stepped machine of several CPUs a lock() on a lock its own CPU holds spins, as
     * {@code arch_spin_lock()} does in a kernel without CONFIG_DEBUG_SPINLOCK, and the stepper decides
     * the lockup from who waits for whom; elsewhere it is the recursion splat (a thread cannot spin
     * on itself and be released).
     */
    private static boolean spinsOnItself(Cpu cpu) {
        return cpu.machine().stepper() != null && cpu.machine().cpuCount() > 1;
    }

    /** Why a trylock failed, from the owner tag the word names (reported by the debug word first). */
    static TryResult failed(SpinLock lock, LockWord ops, Cpu cpu) {
        ops.onTryLockFailed(cpu, lock);
        int owner = ops.owner(lock);
        TryResult r;
        if (owner == OwnerTag.NO_OWNER || OwnerTag.cpu(owner) != cpu.id()) {
            r = TryResult.OTHER_CPU; // NO_OWNER: released by its CPU since our attempt
        } else {
            r = OwnerTag.depth(owner) < cpu.depth ? TryResult.NESTED : TryResult.SAME_CONTEXT;
        }
        cpu.noteTryFailed(lock, r);
        return r;
    }
}
