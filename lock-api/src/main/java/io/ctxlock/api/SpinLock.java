package io.ctxlock.api;

import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * A spinlock with the kernel's operations ({@code include/linux/spinlock.h}), on any backend.
 *
 * <p>This type does all the context bookkeeping, once, for every backend: preemption, the
 * interrupt flag and bottom halves around the lock word, in the kernel's order (lock:
 * irq/bh off, preempt off, take; unlock: release, irq/bh back on, preempt on), the held-lock
 * stack, and every misuse check. The backend's {@link LockWord} only decides whether the word may
 * be taken. The CPU is passed explicitly to every call; see {@link Cpu} for threading.
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
 * <p><b>Hot paths</b> allocate nothing: the saved interrupt state is a long token. A guard is a
 * small object per hold (so that a stale one can never unlock another hold); in a
 * try-with-resources block it does not escape, and escape analysis removes it.
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

    private final String name;
    private final LockClass lockClass;
    private final LockWord word;
    private final Machine machine; // the machine that made it; only its CPUs may use it
    final int id; //             machine-wide id, what the held-lock stack and the flags stack record

    // The labels of the implicit interrupt points: constants, so that a lock carries no strings of
    // its own (the tracer and the held-lock stack name the lock).
    private static final String UNLOCK_IRQ = "spin_unlock_irq";
    private static final String UNLOCK_IRQRESTORE = "spin_unlock_irqrestore";
    private static final String UNLOCK_BH = "spin_unlock_bh";
    /** The interrupt point where a failed {@code spin_trylock_irqsave()} restores the interrupt flag. */
    public static final String TRY_IRQSAVE_FAIL = "spin_trylock_irqsave:fail";
    private static final String TRY_BH_FAIL = "spin_trylock_bh:fail";

    SpinLock(Machine machine, String name, LockClass lockClass, LockWord word) {
        this.name = name;
        this.lockClass = lockClass;
        this.word = word;
        this.machine = machine;
        this.id = machine.register(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LockClass lockClass() {
        return lockClass;
    }

    /** {@code spin_is_locked()}: always false on the stateless UP backend, whoever "holds" it. */
    public boolean isLocked() {
        return word.isLocked();
    }

    /** {@code lockdep_is_held()}: whether the running context of {@code cpu} holds this lock. */
    public boolean isHeldByCurrentContext(Cpu cpu) {
        return word.heldBy(cpu.ownerTag);
    }

    // ---- spin_lock / spin_trylock / spin_unlock ----

    /** {@code spin_lock()}. */
    public void lock(Cpu cpu) {
        lockSlot(cpu, 0, PLAIN);
    }

    /**
     * {@code spin_lock_nested(lock, subclass)}: as {@link #lock}, telling the lock validator that
     * this lock is taken while another lock of its class is held, on purpose (subclass 1..7).
     */
    public void lockNested(Cpu cpu, int subclass) {
        if (subclass < 1 || subclass > 7) {
            throw new IllegalArgumentException("lockdep subclass must be 1..7 (MAX_LOCKDEP_SUBCLASSES): " + subclass);
        }
        lockSlot(cpu, subclass, PLAIN);
    }

    /** {@code spin_trylock()}: the fast path of {@link #tryLockDetailed}. */
    public boolean tryLock(Cpu cpu) {
        return tryTake(cpu) >= 0;
    }

    /** {@code spin_trylock()}, saying why it failed. */
    public TryResult tryLockDetailed(Cpu cpu) {
        int r = tryTake(cpu);
        return r >= 0 ? TryResult.ACQUIRED : RESULTS[-1 - r];
    }

    /** {@code spin_unlock()}. */
    public void unlock(Cpu cpu) {
        enter(cpu);
        checkHeld(cpu);
        release(cpu);
        cpu.preemptCount--;
    }

    // ---- _irq ----

    /** {@code spin_lock_irq()}: disables interrupts unconditionally. */
    public void lockIrq(Cpu cpu) {
        lockSlot(cpu, 0, IRQ);
    }

    /** {@code spin_unlock_irq()}: enables interrupts unconditionally; an interrupt point. */
    public void unlockIrq(Cpu cpu) {
        enter(cpu);
        checkHeld(cpu);
        release(cpu);
        cpu.irqsOn();
        cpu.point(UNLOCK_IRQ);
        cpu.preemptCount--;
    }

    // ---- _irqsave ----

    /** {@code spin_lock_irqsave()}: returns the flags for {@link #unlockIrqRestore}. */
    public long lockIrqSave(Cpu cpu) {
        enter(cpu);
        checkMaySpin(cpu);
        cpu.held.checkRoom(cpu, this);
        cpu.irqFlags.checkRoom(cpu);
        cpu.preemptInc();
        long flags = cpu.irqFlags.save(cpu, id);
        try {
            acquire(cpu, 0);
        } catch (RuntimeException | Error e) {
            cpu.preemptCount--;
            cpu.irqFlags.undo(cpu, cpu.irqFlags.last());
            throw e;
        }
        return flags;
    }

    /**
     * {@code spin_trylock_irqsave()}: the flags on success, {@link #TRYLOCK_FAILED} on failure,
     * after restoring the flag (an interrupt point). {@link Cpu#lastTryFailure()} says why.
     */
    public long tryLockIrqSave(Cpu cpu) {
        enter(cpu);
        cpu.held.checkRoom(cpu, this);
        cpu.irqFlags.checkRoom(cpu);
        cpu.preemptInc();
        long flags = cpu.irqFlags.save(cpu, id);
        if (word.tryAcquire(cpu.ownerTag)) {
            cpu.noteAcquired(this, id, true, 0, word.trylockCanFail());
            return flags;
        }
        cpu.preemptCount--;
        failed(cpu);
        cpu.irqFlags.restore(cpu, cpu.irqFlags.last(), TRY_IRQSAVE_FAIL);
        return TRYLOCK_FAILED;
    }

    /** {@code spin_unlock_irqrestore()}: flags must be this lock's, from this context; an interrupt point. */
    public void unlockIrqRestore(Cpu cpu, long flags) {
        unlockIrqRestore(cpu, flags, UNLOCK_IRQRESTORE);
    }

    /**
     * {@code spin_unlock_irqrestore()} whose interrupt point carries the caller's label (a constant
     * such as {@code "free_pcppages_bulk:irqrestore"}), so that a model names its own call sites.
     */
    public void unlockIrqRestore(Cpu cpu, long flags, String pointLabel) {
        enter(cpu);
        checkHeld(cpu);
        int slot = cpu.irqFlags.find(cpu, this, id, flags);
        release(cpu);
        cpu.irqFlags.restore(cpu, slot, pointLabel);
        cpu.preemptCount--;
    }

    // ---- _bh ----

    /** {@code spin_lock_bh()}: adds SOFTIRQ_LOCK_OFFSET (bh disable plus preempt disable). */
    public void lockBh(Cpu cpu) {
        lockSlot(cpu, 0, BH);
    }

    /** {@code spin_trylock_bh()}; a failure re-enables bottom halves, an interrupt point. */
    public boolean tryLockBh(Cpu cpu) {
        enter(cpu);
        cpu.held.checkRoom(cpu, this);
        BottomHalves.disable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET);
        if (word.tryAcquire(cpu.ownerTag)) {
            cpu.noteAcquired(this, id, true, 0, word.trylockCanFail());
            return true;
        }
        failed(cpu);
        BottomHalves.enable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET, TRY_BH_FAIL);
        return false;
    }

    /** {@code spin_unlock_bh()}: may run pending softirqs, an interrupt point. */
    public void unlockBh(Cpu cpu) {
        enter(cpu);
        checkHeldBy(cpu);
        if (!BottomHalves.held(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET)) {
            throw Misuse.lock(LockMisuseException.PreemptUnderflow::new, cpu, this, word.owner(),
                    "unlock_bh without the bh-disable of its lock_bh");
        }
        release(cpu);
        BottomHalves.enable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET, UNLOCK_BH);
    }

    // ---- guards: include/linux/cleanup.h guard(spinlock...) and scoped_cond_guard(spinlock_try...) ----

    /** {@code guard(spinlock)}: locks now, unlocks on close. */
    public LockGuard guard(Cpu cpu) {
        lockSlot(cpu, 0, PLAIN);
        return new LockGuard().arm(cpu, this, LockGuard.SPIN, 0);
    }

    /** {@code guard(spinlock_irq)}. */
    public LockGuard guardIrq(Cpu cpu) {
        lockSlot(cpu, 0, IRQ);
        return new LockGuard().arm(cpu, this, LockGuard.SPIN_IRQ, 0);
    }

    /** {@code guard(spinlock_irqsave)}: the flags live in the guard. */
    public LockGuard guardIrqSave(Cpu cpu) {
        long flags = lockIrqSave(cpu);
        return new LockGuard().arm(cpu, this, LockGuard.SPIN_IRQSAVE, flags);
    }

    /** {@code guard(spinlock_bh)}. */
    public LockGuard guardBh(Cpu cpu) {
        lockSlot(cpu, 0, BH);
        return new LockGuard().arm(cpu, this, LockGuard.SPIN_BH, 0);
    }

    /** {@code scoped_cond_guard(spinlock_try, ...)}: a guard, or null if the trylock failed. */
    public LockGuard tryGuard(Cpu cpu) {
        return tryTake(cpu) < 0 ? null : new LockGuard().arm(cpu, this, LockGuard.SPIN, 0);
    }

    /** {@code scoped_cond_guard(spinlock_try_irqsave, ...)}: a guard, or null if the trylock failed. */
    public LockGuard tryGuardIrqSave(Cpu cpu) {
        long flags = tryLockIrqSave(cpu);
        return flags == TRYLOCK_FAILED ? null
                : new LockGuard().arm(cpu, this, LockGuard.SPIN_IRQSAVE, flags);
    }

    @Override
    public String toString() {
        return "SpinLock[" + name + ", " + (word.isLocked() ? "locked" : "unlocked") + "]";
    }

    // ---- the one place that does the bookkeeping ----

    private static final int PLAIN = 0;
    private static final int IRQ = 1;
    private static final int BH = 2;

    /** lock, lock_irq, lock_bh: the bookkeeping before the word, all of it undone if taking it throws. */
    private int lockSlot(Cpu cpu, int subclass, int kind) {
        enter(cpu);
        checkMaySpin(cpu);
        cpu.held.checkRoom(cpu, this);
        boolean wasEnabled = cpu.irqsEnabled;
        if (kind == BH) {
            BottomHalves.disable(cpu, PreemptCount.SOFTIRQ_LOCK_OFFSET);
        } else {
            cpu.preemptInc();
            if (kind == IRQ) {
                cpu.irqsEnabled = false;
            }
        }
        try {
            return acquire(cpu, subclass);
        } catch (RuntimeException | Error e) {
            cpu.preemptCount -= kind == BH ? PreemptCount.SOFTIRQ_LOCK_OFFSET : PreemptCount.PREEMPT_OFFSET;
            cpu.irqsEnabled = wasEnabled;
            throw e;
        }
    }

    /** Takes the word (preemption already off) and records the hold; returns the held-lock slot. */
    private int acquire(Cpu cpu, int subclass) {
        int tag = cpu.ownerTag;
        if (!word.tryAcquire(tag)) {
            int owner = word.owner();
            if (owner != OwnerTag.NO_OWNER && OwnerTag.cpu(owner) == cpu.id()) {
                boolean nested = OwnerTag.depth(owner) < cpu.depth;
                if (!nested || !word.onRecursion(cpu, tag, this)) {
                    throw Misuse.lock(LockMisuseException.Recursion::new, cpu, this, owner,
                            nested ? "cpu recursion" : "recursion");
                }
            } else {
                word.acquireContended(cpu, tag, this);
            }
        }
        return cpu.noteAcquired(this, id, false, subclass, true);
    }

    /** Returns the held-lock slot, or {@code -1 - result.ordinal()} on failure. */
    private int tryTake(Cpu cpu) {
        enter(cpu);
        cpu.held.checkRoom(cpu, this);
        cpu.preemptInc();
        if (word.tryAcquire(cpu.ownerTag)) {
            return cpu.noteAcquired(this, id, true, 0, word.trylockCanFail());
        }
        cpu.preemptCount--;
        return -1 - failed(cpu).ordinal();
    }

    private TryResult failed(Cpu cpu) {
        word.onTryLockFailed(cpu, this);
        int owner = word.owner();
        TryResult r;
        if (owner == OwnerTag.NO_OWNER || OwnerTag.cpu(owner) != cpu.id()) {
            r = TryResult.OTHER_CPU; // NO_OWNER: released by its CPU since our attempt
        } else {
            r = OwnerTag.depth(owner) < cpu.depth ? TryResult.NESTED : TryResult.SAME_CONTEXT;
        }
        cpu.noteTryFailed(this, r);
        return r;
    }

    /**
     * PREEMPT_RT: a spinning (sleeping) lock from NMI is invalid. From hardirq it is allowed: RT
     * force-threads interrupt handlers, so the handler that takes it runs in a thread in the
     * kernel, where the model runs it nested.
     */
    private void checkMaySpin(Cpu cpu) {
        if ((cpu.preemptCount & PreemptCount.NMI_MASK) != 0 && machine.preemptRt()) {
            throw Misuse.lock(LockMisuseException.InvalidContext::new, cpu, this, word.owner(),
                    "sleeping lock (PREEMPT_RT) taken in " + cpu.contextName());
        }
    }

    /** Every operation starts here: the CPU's bound thread, and a CPU of this lock's machine. */
    private void enter(Cpu cpu) {
        cpu.checkThread();
        if (cpu.machine() != machine) {
            throw Misuse.lock(LockMisuseException.WrongMachine::new, cpu, this, OwnerTag.NO_OWNER,
                    "lock of " + machine + " used by CPU#" + cpu.id() + " of another machine");
        }
    }

    private void checkHeldBy(Cpu cpu) {
        if (!word.heldBy(cpu.ownerTag)) {
            throw Misuse.unlock(cpu, this, word.owner());
        }
    }

    private void checkHeld(Cpu cpu) {
        checkHeldBy(cpu);
        if ((cpu.preemptCount & PreemptCount.PREEMPT_MASK) == 0) {
            throw Misuse.lock(LockMisuseException.PreemptUnderflow::new, cpu, this, word.owner(),
                    "unlock with preempt_count 0 (a preempt_enable too many inside the section)");
        }
    }

    private void release(Cpu cpu) {
        word.release(cpu.ownerTag);
        cpu.noteReleased(this, id);
    }
}
