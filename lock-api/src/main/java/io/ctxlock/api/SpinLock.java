package io.ctxlock.api;

import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * A spinlock with the kernel's operations ({@code include/linux/spinlock.h}), on any backend.
 *
 * <p>This type does all the context bookkeeping, once, for every backend: preemption, the
 * interrupt flag and bottom halves around the lock word (lock: irq/bh off, preempt off, take;
 * unlock: release, irq/bh back on, preempt on, as the kernel), the held-lock stack, and every
 * misuse check. The backend's {@link LockWord} only decides whether the word may be taken.
 *
 * <p><b>Memory ordering</b> (as the kernel's, {@code tools/memory-model/lock.cat}): a successful
 * lock or trylock acquires; an unlock releases; a failed trylock has no ordering effect and
 * promises nothing lasting about the lock (on SMP the holder may release a moment later).
 *
 * <p><b>Contexts.</b> Every operation may be called from any context. A trylock that fails
 * leaves the CPU exactly as before the call (the irqsave and bh variants restore the flag and
 * bh count, which is an interrupt point, as in the kernel). {@code lock()} never hangs on a lock
 * held by the caller's own CPU: that is {@link LockMisuseException.Recursion}, with lock and CPU
 * unchanged (the UP debug backend instead reports and proceeds, as the kernel's does).
 *
 * <p><b>PREEMPT_RT</b> (a machine built with {@code preemptRt(true)}), with what it simplifies:
 * <ul>
 * <li>{@code spin_trylock} has no context policy, as in the kernel ({@code rt_spin_trylock()},
 *     {@code kernel/locking/spinlock_rt.c}): the refusals of RT live in its callers, the
 *     allocator's {@code can_spin_trylock()} and {@link LocalTryLock}. A trylock fails only when
 *     the word is held, as on the backend's word; the kernel's rtmutex would also fail it for a
 *     waiter-owned lock, which the model does not have.
 * <li>A {@code lock()} from NMI is {@link LockMisuseException.InvalidContext}: the kernel's
 *     sleeping lock would hit {@code might_sleep()}/lockdep splats or hang; the model refuses.
 * <li>A {@code lock()} from hardirq is allowed and runs nested: the kernel force-threads the
 *     handler, which then runs in its own task and may sleep on the lock; the model runs it on top
 *     of the interrupted code instead and spins (or reports recursion) as the backend's word does.
 *     The rtmutex, priority inheritance and sleeping are not modeled.
 * </ul>
 *
 * <p><b>Hot paths</b> allocate nothing: the saved interrupt state is a long token. A guard is one
 * object per hold, at most 64 bytes (measured by the contract test), so that a stale one can never
 * unlock another hold. The CPU is passed to every call; see {@link Cpu} for threading.
 *
 * <pre>{@code
 * long flags = zoneLock.lockIrqSave(cpu);        // spin_lock_irqsave(&zone->lock, flags)
 * try { ... } finally { zoneLock.unlockIrqRestore(cpu, flags); }
 *
 * try (LockGuard g = pcpLock.tryGuard(cpu)) {     // scoped_cond_guard(spinlock_try, ...)
 *     if (g == null) return fallback();           // held by another CPU or by code we interrupted
 *     ...
 * }
 * }</pre>
 */
public final class SpinLock implements KernelLock {
    /** What the irqsave trylock returns when it fails; never a valid flags token. */
    public static final long TRYLOCK_FAILED = -1L;

    private static final TryResult[] RESULTS = TryResult.values();

    // 24 bytes in all (checked by the layout test): the name and class live in the machine's lock
    // registry, the backend's behaviour in a LockWord shared by the machine's locks.
    final int id; //                machine-wide id, what the held-lock stack and the flags stack record
    @SuppressWarnings("unused")
    private volatile int word; //   arch_spinlock_t: read and written only through LockWord's accessors
    private final LockWord ops; //  the backend's arch_spin_*(); also names the machine that made the lock

    // The labels of the implicit interrupt points: constants, so that a lock carries no strings of
    // its own (the tracer and the held-lock stack name the lock).
    private static final String[] UNLOCK_POINTS = // by variant; plain spin_unlock() has no point
        {null, "spin_unlock_irq", "spin_unlock_irqrestore", "spin_unlock_bh"};
    /** The interrupt point where a failed {@code spin_trylock_irqsave()} restores the interrupt flag. */
    public static final String TRY_IRQSAVE_FAIL = "spin_trylock_irqsave:fail";
    private static final String TRY_BH_FAIL = "spin_trylock_bh:fail";

    /** The owner tag the word names ({@code OwnerTag.NO_OWNER} when nobody holds it); for the stepper's reports. */
    int ownerTag() {
        return ops.owner(this);
    }

    SpinLock(Machine machine, String name, LockClass lockClass, LockWord ops) {
        if (ops == null || ops.machine() != machine) {
            throw new IllegalStateException("backend " + machine.backend().name() + " made the lock word of "
                    + name + (ops == null ? " null" : " for another machine (" + ops.machine() + ")"));
        }
        this.ops = ops;
        this.id = machine.register(this, name, lockClass);
    }

    @Override
    public String name() {
        return ops.machine().locks().name(id);
    }

    @Override
    public LockClass lockClass() {
        return ops.machine().locks().lockClass(id);
    }

    /**
     * The lock's machine-wide id (from 1), lockdep's key for the instance: what a CPU's held-lock
     * stack records, and what a backend indexes its own per-lock tables by.
     */
    public int id() {
        return id;
    }

    /** {@code spin_is_locked()}: always false on the stateless UP backend, whoever "holds" it. */
    public boolean isLocked() {
        return ops.isLocked(this);
    }

    /** {@code lockdep_is_held()}: whether the running context of {@code cpu} holds this lock. */
    public boolean isHeldByCurrentContext(Cpu cpu) {
        return ops.heldBy(this, cpu.ownerTag);
    }

    // ---- spin_lock / spin_trylock / spin_unlock ----

    /** {@code spin_lock()}. */
    public void lock(Cpu cpu) {
        lock(cpu, PLAIN, 0);
    }

    /**
     * {@code spin_lock_nested(lock, subclass)}: as {@link #lock}, telling the lock validator that
     * this lock is taken while another lock of its class is held, on purpose (subclass 1..7).
     */
    public void lockNested(Cpu cpu, int subclass) {
        if (subclass < 1 || subclass > 7) {
            throw new IllegalArgumentException("lockdep subclass must be 1..7 (MAX_LOCKDEP_SUBCLASSES): " + subclass);
        }
        lock(cpu, PLAIN, subclass);
    }

    /** {@code spin_trylock()}: the fast path of {@link #tryLockDetailed}. */
    public boolean tryLock(Cpu cpu) {
        return tryPlain(cpu) < 0;
    }

    /** {@code spin_trylock()}, saying why it failed. */
    public TryResult tryLockDetailed(Cpu cpu) {
        int r = tryPlain(cpu);
        return r < 0 ? TryResult.ACQUIRED : RESULTS[r];
    }

    /** {@code spin_unlock()}: {@link #leave} for the plain variant, written out (see {@link #tryPlain}). */
    public void unlock(Cpu cpu) {
        checkUnlock(cpu, PLAIN);
        if (!ops.release(this, cpu.ownerTag)) {
            throw Misuse.unlock(cpu, this, ops.owner(this));
        }
        cpu.noteReleased(this, id);
        cpu.preemptDec();
    }

    // ---- _irq ----

    /** {@code spin_lock_irq()}: disables interrupts unconditionally. */
    public void lockIrq(Cpu cpu) {
        lock(cpu, IRQ, 0);
    }

    /** {@code spin_unlock_irq()}: enables interrupts unconditionally; an interrupt point. */
    public void unlockIrq(Cpu cpu) {
        unlock(cpu, IRQ, 0);
    }

    // ---- _irqsave ----

    /** {@code spin_lock_irqsave()}: returns the flags for {@link #unlockIrqRestore}. */
    public long lockIrqSave(Cpu cpu) {
        return lock(cpu, IRQSAVE, 0);
    }

    /**
     * {@code spin_trylock_irqsave()}: the flags on success, {@link #TRYLOCK_FAILED} on failure,
     * after restoring the flag (an interrupt point). {@link Cpu#lastTryFailure()} says why.
     */
    public long tryLockIrqSave(Cpu cpu) {
        long r = tryLock(cpu, IRQSAVE);
        return r >= 0 ? r : TRYLOCK_FAILED;
    }

    /** {@code spin_unlock_irqrestore()}: flags must be this lock's, from this context; an interrupt point. */
    public void unlockIrqRestore(Cpu cpu, long flags) {
        unlock(cpu, IRQSAVE, flags);
    }

    /**
     * {@code spin_unlock_irqrestore()} whose interrupt point carries the caller's label (a constant
     * such as {@code "free_pcppages_bulk:irqrestore"}), so that a model names its own call sites.
     */
    public void unlockIrqRestore(Cpu cpu, long flags, String pointLabel) {
        leave(cpu, IRQSAVE, flags, pointLabel);
    }

    // ---- _bh ----

    /** {@code spin_lock_bh()}: adds SOFTIRQ_LOCK_OFFSET (bh disable plus preempt disable). */
    public void lockBh(Cpu cpu) {
        lock(cpu, BH, 0);
    }

    /** {@code spin_trylock_bh()}; a failure re-enables bottom halves, an interrupt point. */
    public boolean tryLockBh(Cpu cpu) {
        return tryLock(cpu, BH) >= 0;
    }

    /** {@code spin_unlock_bh()}: may run pending softirqs, an interrupt point. */
    public void unlockBh(Cpu cpu) {
        unlock(cpu, BH, 0);
    }

    // ---- guards: include/linux/cleanup.h guard(spinlock...) and scoped_cond_guard(spinlock_try...) ----

    /** {@code guard(spinlock)}: locks now, unlocks on close. */
    public LockGuard guard(Cpu cpu) {
        return guarded(cpu, PLAIN, lock(cpu, PLAIN, 0));
    }

    /** {@code guard(spinlock_irq)}. */
    public LockGuard guardIrq(Cpu cpu) {
        return guarded(cpu, IRQ, lock(cpu, IRQ, 0));
    }

    /** {@code guard(spinlock_irqsave)}: the flags live in the guard. */
    public LockGuard guardIrqSave(Cpu cpu) {
        return guarded(cpu, IRQSAVE, lock(cpu, IRQSAVE, 0));
    }

    /** {@code guard(spinlock_bh)}. */
    public LockGuard guardBh(Cpu cpu) {
        return guarded(cpu, BH, lock(cpu, BH, 0));
    }

    /** {@code scoped_cond_guard(spinlock_try, ...)}: a guard, or null if the trylock failed. */
    public LockGuard tryGuard(Cpu cpu) {
        long r = tryLock(cpu, PLAIN);
        return r < 0 ? null : guarded(cpu, PLAIN, r);
    }

    /** {@code scoped_cond_guard(spinlock_try_irqsave, ...)}: a guard, or null if the trylock failed. */
    public LockGuard tryGuardIrqSave(Cpu cpu) {
        long r = tryLock(cpu, IRQSAVE);
        return r < 0 ? null : guarded(cpu, IRQSAVE, r);
    }

    private LockGuard guarded(Cpu cpu, int variant, long saved) {
        return new LockGuard().arm(cpu, this, variant, variant == IRQSAVE ? saved : 0); // flags: irqsave's only
    }

    @Override
    public String toString() {
        return "SpinLock[" + name() + ", " + (ops.isLocked(this) ? "locked" : "unlocked") + "]";
    }

    // ---- every variant from the same steps (enter: the checks; disable; take; undo or enable), as
    // spinlock_api_smp.h writes each __raw_spin_lock*() as one sequence around the word ----

    /** The variants, also a {@link LockGuard}'s mode; the saved state each returns is a long. */
    static final int PLAIN = 0;
    static final int IRQ = 1; //     saved: 1 if interrupts were enabled, else 0
    static final int IRQSAVE = 2; // saved: the flags token (always >= 0)
    static final int BH = 3;

    /** {@code __raw_spin_lock*()}: checks, disable, take; everything undone if taking throws. */
    private long lock(Cpu cpu, int variant, int subclass) {
        enter(cpu, true);
        cpu.held.checkRoom(cpu, this);
        long saved = SpinVariants.disable(cpu, variant, id);
        try {
            SpinContention.acquire(this, ops, cpu, subclass);
        } catch (RuntimeException | Error e) {
            SpinVariants.undo(cpu, variant, saved, null);
            throw e;
        }
        return saved;
    }

    /**
     * {@code __raw_spin_trylock*()}: the saved state (>= 0) on success; on failure, after the
     * enable half (an interrupt point for irqsave and bh), {@code -1 - result.ordinal()}.
     */
    private long tryLock(Cpu cpu, int variant) {
        enter(cpu, false);
        cpu.held.checkRoom(cpu, this);
        long saved = SpinVariants.disable(cpu, variant, id);
        if (ops.tryAcquire(this, cpu.ownerTag)) {
            cpu.noteAcquired(this, id, true, 0, ops.trylockCanFail());
            return saved;
        }
        TryResult why = SpinContention.failed(this, ops, cpu); // inside do_raw_spin_trylock(), as the UP debug splat is
        SpinVariants.undo(cpu, variant, saved, variant == IRQSAVE ? TRY_IRQSAVE_FAIL : variant == BH ? TRY_BH_FAIL : null);
        return -1 - why.ordinal();
    }

    /**
     * {@code __raw_spin_trylock()}: {@link #tryLock(Cpu, int)} for the plain variant, written out.
     * The hottest paths do not go through the variant methods: once a JVM has run several variants,
     * those are compiled on their own as big methods, which C2 then refuses to inline ("already
     * compiled into a big method"), and a benchmark that had run every backend first measured
     * trylock+unlock at twice the cost. Returns -1 on success, else the failure's ordinal.
     */
    private int tryPlain(Cpu cpu) {
        enter(cpu, false);
        cpu.held.checkRoom(cpu, this);
        cpu.preemptInc();
        if (ops.tryAcquire(this, cpu.ownerTag)) {
            cpu.noteAcquired(this, id, true, 0, ops.trylockCanFail());
            return -1;
        }
        TryResult why = SpinContention.failed(this, ops, cpu);
        cpu.preemptDec();
        return why.ordinal();
    }

    /** The unlock of {@code variant} at its own point; also a {@link LockGuard}'s close. */
    void unlock(Cpu cpu, int variant, long flags) {
        leave(cpu, variant, flags, UNLOCK_POINTS[variant]);
    }

    /** {@code __raw_spin_unlock*()}: checks, release the word, enable (an interrupt point except plain). */
    private void leave(Cpu cpu, int variant, long flags, String point) {
        checkUnlock(cpu, variant);
        int slot = -1;
        if (variant == IRQSAVE) {
            if (!ops.heldBy(this, cpu.ownerTag)) { // reported before the flags are looked at
                throw Misuse.unlock(cpu, this, ops.owner(this));
            }
            slot = cpu.irqFlags.find(cpu, this, id, flags);
        }
        if (!ops.release(this, cpu.ownerTag)) {
            throw Misuse.unlock(cpu, this, ops.owner(this));
        }
        cpu.noteReleased(this, id);
        switch (variant) {
            case BH:
                BottomHalves.enable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET, point);
                return;
            case IRQSAVE:
                cpu.irqFlags.restore(cpu, slot, point);
                break;
            case IRQ:
                cpu.irqsOn();
                cpu.point(point);
                break;
            default:
                break;
        }
        cpu.preemptDec();
    }

    /**
     * The unlock's checks before the word: the caller's thread and machine, and a preempt count to
     * drop. Whether this context holds the lock is the word's answer when it releases (one call into
     * the backend per unlock); only when a check here fails is it asked first, so that an unlock of a
     * lock not held is reported as that whatever else is wrong.
     */
    private void checkUnlock(Cpu cpu, int variant) {
        enter(cpu, false);
        if (variant == BH ? !BottomHalves.held(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET)
                : (cpu.preemptCount & PreemptCount.PREEMPT_MASK) == 0) {
            throw unlockRefused(cpu, variant);
        }
    }

    private LockMisuseException unlockRefused(Cpu cpu, int variant) {
        if (!ops.heldBy(this, cpu.ownerTag)) {
            return Misuse.unlock(cpu, this, ops.owner(this));
        }
        return Misuse.lock(LockMisuseException.PreemptUnderflow::new, cpu, this, ops.owner(this), variant == BH
                ? "unlock_bh without the bh-disable of its lock_bh"
                : "unlock with preempt_count 0 (a preempt_enable too many inside the section)");
    }

    /** Every operation starts here: the CPU's bound thread, a CPU of this lock's machine, and RT's refusal. */
    private void enter(Cpu cpu, boolean maySpin) {
        cpu.checkThread();
        if (cpu.machine() != ops.machine()) {
            throw Misuse.lock(LockMisuseException.WrongMachine::new, cpu, this, OwnerTag.NO_OWNER,
                    "lock of " + ops.machine() + " used by CPU#" + cpu.id() + " of another machine");
        }
        if (maySpin && RtPolicy.refusesSpinLock(cpu)) {
            throw Misuse.lock(LockMisuseException.InvalidContext::new, cpu, this, ops.owner(this),
                    "sleeping lock (PREEMPT_RT) taken in " + cpu.contextName());
        }
    }
}
