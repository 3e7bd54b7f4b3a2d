package io.ctxlock.api.spi;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a backend implements for its spinlocks: the kernel's {@code arch_spin_trylock},
 * {@code arch_spin_lock} slow path, {@code arch_spin_unlock} and {@code arch_spin_is_locked}, over
 * the lock's {@code arch_spinlock_t}. The word itself, one int, lives in the {@link SpinLock} (so that
 * a lock is one object of 24 bytes); a {@code LockWord} is no per-lock object but is shared by the
 * locks of a machine (or of a lock class), reading and writing each lock's word through the
 * accessors below. It must touch only the words of the locks it is handed (locks whose operations
 * it is); the accessors do not check that, since a check would cost on every lock operation. Everything else (preemption, interrupt flags, the held-lock stack, misuse
 * checks) is done once, by {@link SpinLock}, so a backend cannot forget it.
 *
 * <p>Callers: {@link SpinLock} only, on the CPU thread of {@code tag}'s CPU, after its own checks.
 * A word sees only owner tags ({@link OwnerTag}); it never sees a context object.
 *
 * <p>Memory ordering a backend must give: a successful {@link #tryAcquire} or
 * {@link #acquireContended} acquires; {@link #release} releases; a failed {@code tryAcquire} need
 * have no ordering effect. Single-CPU backends are thread-confined and use the plain accessors.
 * A word starts at 0 ({@code __ARCH_SPIN_LOCK_UNLOCKED}); state that does not fit one int belongs
 * in a per-machine table of the backend's, indexed by {@link SpinLock#id()} (lock-up keeps its deep
 * holder records so), or in the {@code LockWord} when a group of locks shares it (proposal C's word).
 */
public abstract class LockWord {
    private static final VarHandle WORD;

    static {
        try {
            // SpinLock.word is private to lock-api; this class is in the same module.
            WORD = MethodHandles.privateLookupIn(SpinLock.class, MethodHandles.lookup())
                    .findVarHandle(SpinLock.class, "word", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Machine machine;
    private final boolean trylockCanFail;

    /** Operations for the locks of {@code machine}, whose trylock can fail. */
    protected LockWord(Machine machine) {
        this(machine, true);
    }

    /**
     * Operations for the locks of {@code machine}; {@code trylockCanFail} false for a word that keeps
     * no state (the stateless UP spinlock): the lock validator warns when such a lock is trylocked
     * from an interrupt-like context. A constant, read once per successful trylock.
     */
    protected LockWord(Machine machine, boolean trylockCanFail) {
        if (machine == null) {
            throw new NullPointerException("machine");
        }
        this.machine = machine;
        this.trylockCanFail = trylockCanFail;
    }

    /** The machine whose locks these operations serve; a lock checks that its CPU is of it. */
    public final Machine machine() {
        return machine;
    }

    /** Whether a trylock of these words can fail at all (see the constructor). */
    public final boolean trylockCanFail() {
        return trylockCanFail;
    }

    /**
     * {@code arch_spin_trylock}: takes the lock for {@code tag} if the backend allows it.
     * Must change nothing when it returns false.
     */
    public abstract boolean tryAcquire(SpinLock lock, int tag);

    /** The holder's tag as the word knows it, or {@link OwnerTag#NO_OWNER}. Racy on SMP. */
    public abstract int owner(SpinLock lock);

    /** Whether {@code tag} holds the lock by this word's state (for unlock validation). */
    public abstract boolean heldBy(SpinLock lock, int tag);

    /**
     * {@code arch_spin_unlock} by {@code tag}: if {@code tag} holds the lock by this word's state (as
     * {@link #heldBy} would say), releases it and returns true; otherwise changes nothing and returns
     * false, and the caller reports the unlock of a lock not held. One call where a check and a
     * release would be two: the unlock's only call into the backend.
     */
    public abstract boolean release(SpinLock lock, int tag);

    /** {@code arch_spin_is_locked}: false on a backend without lock state, whoever "holds" it. */
    public abstract boolean isLocked(SpinLock lock);

    /**
     * The {@code lock()} slow path when the holder is another CPU: spin until it is free, then
     * take it (it must throw rather than hang, e.g. through a lockup watchdog). A single-CPU
     * backend is never asked, since on one CPU every holder is on the caller's CPU. On a stepped
     * machine ({@code machine().stepper()} not null) the wait must not spin on the clock: call
     * {@link io.ctxlock.api.Stepper#waitBegin} once, then at every iteration pass an interrupt point
     * and call {@link io.ctxlock.api.Stepper#waitIteration} (which runs another CPU's step or throws
     * the lockup), and {@link io.ctxlock.api.Stepper#waitEnd} once the lock is taken; there the
     * holder may also be the caller's own CPU (the stepper decides that lockup too).
     */
    public void acquireContended(Cpu cpu, SpinLock lock, int tag) {
        throw new IllegalStateException("lock " + lock.name() + " held by CPU#"
                + OwnerTag.cpu(owner(lock)) + ", but backend has no other CPU to wait for");
    }

    /**
     * {@code lock()} found the lock held on the caller's own CPU by a context the caller
     * interrupted. Return true after taking the lock anyway (the UP debug spinlock: report, then
     * proceed); the default returns false, and the caller throws the recursion splat.
     */
    public boolean onRecursion(Cpu cpu, SpinLock lock, int tag) {
        return false;
    }

    /** A trylock failed. The UP debug spinlock reports it; everyone else stays silent. */
    public void onTryLockFailed(Cpu cpu, SpinLock lock) {}

    // ---- the lock's word, by access mode (java.lang.invoke.VarHandle's) ----

    /** Plain read: single-CPU backends, whose words only the CPU's own thread touches. */
    protected static int wordPlain(SpinLock lock) {
        return (int) WORD.get(lock);
    }

    /** Plain write, as {@link #wordPlain}. */
    protected static void setWordPlain(SpinLock lock, int value) {
        WORD.set(lock, value);
    }

    /** Opaque read ({@code READ_ONCE}): no ordering, never torn or hoisted. */
    protected static int wordOpaque(SpinLock lock) {
        return (int) WORD.getOpaque(lock);
    }

    /** Acquire read ({@code smp_load_acquire}). */
    protected static int wordAcquire(SpinLock lock) {
        return (int) WORD.getAcquire(lock);
    }

    /** Release write ({@code smp_store_release}). */
    protected static void setWordRelease(SpinLock lock, int value) {
        WORD.setRelease(lock, value);
    }

    /** {@code cmpxchg_acquire}: returns the witness value (equal to {@code expect} on success). */
    protected static int casWordAcquire(SpinLock lock, int expect, int update) {
        return (int) WORD.compareAndExchangeAcquire(lock, expect, update);
    }

    /** {@code atomic_fetch_add} (fully ordered, x86 {@code lock xadd}): returns the old word. */
    protected static int getAndAddWord(SpinLock lock, int delta) {
        return (int) WORD.getAndAdd(lock, delta);
    }

    /** {@code atomic_fetch_add_release}: returns the old word. */
    protected static int getAndAddWordRelease(SpinLock lock, int delta) {
        return (int) WORD.getAndAddRelease(lock, delta);
    }
}
