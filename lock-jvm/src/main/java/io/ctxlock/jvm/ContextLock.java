package io.ctxlock.jvm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock} that knows the difference between "another owner holds me" and "the code this
 * callback interrupted holds me": the plain-Java form of the kernel model's {@code SpinLock} with a
 * trylock that tells the truth about nesting. Every operation exists twice: with an explicit
 * {@link Owner} (the hot path, as a {@code Cpu} is passed in the kernel model) and, as
 * {@code Lock} requires, for the calling thread's owner ({@link ThreadContexts#current()}).
 *
 * <ul>
 * <li>{@link #tryLockDetailed} says why it failed: {@link LockResult#OTHER_OWNER},
 *     {@link LockResult#NESTED} or {@link LockResult#SAME_CONTEXT}; {@code tryLock(timeout)} returns
 *     at once on a nested entry instead of waiting out its own timeout.</li>
 * <li>{@code lock()} of a lock its own owner holds throws {@link NestedLockException}: it never
 *     re-enters (as {@code ReentrantLock} and {@code synchronized} do) and never waits for itself
 *     (as {@code StampedLock} does). Against another owner it tries one CAS and then queues in
 *     {@link AbstractQueuedSynchronizer} as {@code ReentrantLock} does: the first waiter spins
 *     briefly after each wake-up before it parks again (JDK 14+), and a free lock goes to whoever
 *     comes (non-fair). A spin of its own before queueing cost 4.5x the throughput of two contending
 *     threads (measured with JvmContendedBench), so there is none.</li>
 * <li>{@link #execute} and {@link #runOrDefer} run a task under the lock, with a {@link NestedPolicy}
 *     for the nested case: throw, drop and count, or defer to the holder's unlock.</li>
 * </ul>
 *
 * <p><b>Owners on one thread.</b> Two owners used on one thread are two owners: code holding the
 * lock through one and calling {@code lock()} through the other would park its own thread for
 * good, so that case throws {@link LockMisuseException} instead (and a timed trylock returns
 * {@link LockResult#OTHER_OWNER} at once). The check compares the thread that took the lock with
 * the waiting one: an owner that moves to another thread while it holds a lock is seen on the
 * thread that took it. {@link ThreadContexts#swap} makes a host's owner the
 * thread's implicit one, so that the {@code Lock} methods use it.
 *
 * <p><b>Contexts.</b> Any thread, any {@link ContextKind}; an {@link Owner} is used by one thread
 * at a time (its state is plain). Kernel counterpart: {@code spin_trylock()}/{@code spin_lock()} of
 * the kernel model's proposal B, with parking in the place of spinning.
 *
 * <p><b>Memory ordering.</b> As {@code ReentrantLock}: a successful lock has acquire semantics, an
 * unlock release semantics (both through {@link AbstractQueuedSynchronizer}'s volatile state), so
 * everything a holder wrote is visible to the next holder. A failed trylock promises nothing.
 *
 * <p><b>Layout.</b> The lock is its own synchronizer (32 bytes with compressed oops: the header,
 * AbstractOwnableSynchronizer's owner thread, AQS's head, tail and state, and the class), where {@code ReentrantLock} spends 48
 * on a lock and a separate {@code Sync}. Which contexts hold it is kept by each {@link Owner}, not
 * here. The inherited {@code AbstractQueuedSynchronizer} methods are therefore public; their
 * acquire and release refuse any argument but the lock's own (a random value per run), so that a
 * call by mistake fails instead of skipping the checks. (Reflection, or AQS's public
 * {@code ConditionObject} constructor, can still get around them; do not.)
 *
 * <p><b>Not modelled.</b> {@link #newCondition()}: waiting on a condition releases the lock, which
 * under a nested context would hand the outer holder's critical section to another owner; it throws
 * {@link UnsupportedOperationException}.
 */
@SuppressWarnings("serial") // AQS is Serializable; a ContextLock is not meant to be serialized (its class is not)
public final class ContextLock extends AbstractQueuedSynchronizer implements Lock {
    private static final long serialVersionUID = 1L;
    /** The only argument the synchronizer accepts (chosen per run): AQS's acquire/release with any other fail. */
    private static final int ARG = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 20, Integer.MAX_VALUE);
    private final ContextLockClass cls;

    /** A lock with a class of its own named {@code name} and policy {@link NestedPolicy#THROW}. */
    public ContextLock(String name) {
        this(ContextLockClass.of(name));
    }

    /** A lock with a class of its own. */
    public ContextLock(String name, NestedPolicy policy) {
        this(ContextLockClass.of(name, policy));
    }

    /** A lock of {@code cls} (shared with the class's other locks). */
    public ContextLock(ContextLockClass cls) {
        this.cls = java.util.Objects.requireNonNull(cls, "cls");
    }

    public String name() {
        return cls.name();
    }

    public ContextLockClass lockClass() {
        return cls;
    }

    /** Whether any owner holds it (a racy snapshot unless the caller holds it). */
    public boolean isLocked() {
        return getState() != 0;
    }

    /** Whether {@code owner}'s running context holds it ({@code lockdep_is_held()}). */
    public boolean isHeldByCurrentContext(Owner owner) {
        int slot = checked(owner).held.find(this);
        return slot >= 0 && owner.held.depth(slot) == owner.depth();
    }

    public boolean isHeldByCurrentContext() {
        return isHeldByCurrentContext(ThreadContexts.current());
    }

    // ---- trylock ----

    /** Takes the lock if it is free; never waits; says why not. Allocation-free. */
    public LockResult tryLockDetailed(Owner owner) {
        int slot = checked(owner).held.find(this);
        if (slot >= 0) {
            return nestedResult(owner, slot);
        }
        owner.held.checkRoom(this);
        if (!compareAndSetState(0, 1)) {
            return LockResult.OTHER_OWNER;
        }
        taken(owner);
        validateTrylock(owner);
        return LockResult.ACQUIRED;
    }

    public LockResult tryLockDetailed() {
        return tryLockDetailed(ThreadContexts.current());
    }

    public boolean tryLock(Owner owner) {
        return tryLockDetailed(owner) == LockResult.ACQUIRED;
    }

    @Override
    public boolean tryLock() {
        return tryLock(ThreadContexts.current());
    }

    /**
     * Waits up to {@code time} for another owner to release it; a nested entry returns
     * {@link LockResult#NESTED} or {@link LockResult#SAME_CONTEXT} at once, without waiting (and
     * leaves a pending interrupt pending). Otherwise an interrupt pending on entry throws, as
     * {@code ReentrantLock}'s does, even when the lock is free. The validator sees it as a
     * {@code lock()}, before the wait, since it can wait.
     */
    public LockResult tryLockDetailed(Owner owner, long time, TimeUnit unit) throws InterruptedException {
        int slot = checked(owner).held.find(this);
        if (slot >= 0) {
            return nestedResult(owner, slot);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException(name() + ": interrupted before locking");
        }
        owner.held.checkRoom(this);
        validate(owner); // a timed take waits: checked as a lock(), before the wait
        if (compareAndSetState(0, 1)) {
            taken(owner);
            return LockResult.ACQUIRED;
        }
        if (getExclusiveOwnerThread() == Thread.currentThread()) {
            return LockResult.OTHER_OWNER; // another owner on this thread: waiting would wait for itself
        }
        if (!tryAcquireNanos(ARG, unit.toNanos(time))) {
            return LockResult.OTHER_OWNER;
        }
        taken(owner);
        return LockResult.ACQUIRED;
    }

    public boolean tryLock(Owner owner, long time, TimeUnit unit) throws InterruptedException {
        return tryLockDetailed(owner, time, unit) == LockResult.ACQUIRED;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(ThreadContexts.current(), time, unit);
    }

    // ---- lock ----

    /** Takes the lock, waiting for another owner; a nested entry throws {@link NestedLockException}. */
    public void lock(Owner owner) {
        prepareLock(owner);
        if (!compareAndSetState(0, 1)) {
            checkSameThread(owner);
            acquire(ARG);
        }
        taken(owner);
    }

    @Override
    public void lock() {
        lock(ThreadContexts.current());
    }

    /**
     * As {@link #lock(Owner)}, giving up with {@link InterruptedException} if interrupted while
     * parked or on entry (after the nested-entry check, which a misuse deserves first).
     */
    public void lockInterruptibly(Owner owner) throws InterruptedException {
        prepareLock(owner);
        if (Thread.interrupted()) {
            throw new InterruptedException(name() + ": interrupted before locking");
        }
        if (!compareAndSetState(0, 1)) {
            checkSameThread(owner);
            acquireInterruptibly(ARG);
        }
        taken(owner);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        lockInterruptibly(ThreadContexts.current());
    }

    /**
     * Everything before a blocking take: the nested-entry refusal, room in the owner's table, and the
     * validator (as lockdep's lock_acquire() runs before the arch lock spins, so that an AB-BA is
     * reported before it can deadlock). Nothing is taken yet.
     */
    private void prepareLock(Owner owner) {
        int slot = checked(owner).held.find(this);
        if (slot >= 0) {
            LockResult r = nestedResult(owner, slot);
            LockValidator v = cls.validator();
            if (v != null) {
                v.recursion(this, owner, slot);
            }
            throw new NestedLockException(this, owner, owner.held.depth(slot), r);
        }
        owner.held.checkRoom(this);
        validate(owner);
    }

    // ---- unlock ----

    /**
     * Releases the lock; it must be held by {@code owner}'s running context (else
     * {@link LockMisuseException}, nothing changed). Tasks deferred to this lock run first, in order,
     * still under the lock and in this context; one that throws does not stop the others, and the
     * first failure is rethrown after the release (later ones suppressed).
     */
    public void unlock(Owner owner) {
        int slot = checked(owner).held.find(this);
        if (slot < 0) {
            Thread t = getExclusiveOwnerThread(); // a racy snapshot, for the report only
            throw new LockMisuseException(this, owner, isLocked() ? "unlock of a lock another owner holds (taken on "
                    + "thread " + (t == null ? "?" : t.getName()) + ")" : "unlock of an unlocked lock");
        }
        if (owner.held.depth(slot) != owner.depth()) {
            throw new LockMisuseException(this, owner, "unlock from " + owner.contextName()
                    + " of a lock held by " + owner.frameName(owner.held.depth(slot)));
        }
        Throwable failure = null;
        int now = slot;
        if (owner.held.mayHaveDeferred(slot)) {
            failure = Deferred.drain(this, owner, slot);
            now = owner.held.find(this); // deferred tasks may have moved it
        }
        if (now < 0) {
            LockMisuseException e = new LockMisuseException(this, owner,
                    "a task deferred to the unlock unlocked the lock it ran under");
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        setExclusiveOwnerThread(null);
        release(ARG);
        owner.held.remove(now); // after the release: the owner's own table, and a shorter hold for waiters
        if (failure != null) {
            throw Deferred.<RuntimeException>sneaky(failure);
        }
    }

    @Override
    public void unlock() {
        unlock(ThreadContexts.current());
    }

    // ---- tasks under the lock ----

    /** Runs {@code task} under the lock, or applies the class's {@link NestedPolicy} to a nested entry. */
    public Outcome execute(Owner owner, Runnable task) {
        return Tasks.run(this, owner, task, cls.policy());
    }

    public Outcome execute(Runnable task) {
        return execute(ThreadContexts.current(), task);
    }

    /** Runs {@code task} under the lock, or, if {@code owner} holds it already, at the holder's unlock. */
    public Outcome runOrDefer(Owner owner, Runnable task) {
        return Tasks.run(this, owner, task, NestedPolicy.DEFER);
    }

    public Outcome runOrDefer(Runnable task) {
        return runOrDefer(ThreadContexts.current(), task);
    }

    /** Unsupported: see the class comment. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(name() + ": ContextLock has no conditions (a wait in a nested "
                + "context would release the lock under its outer holder)");
    }

    // ---- the synchronizer ----

    private void taken(Owner owner) {
        setExclusiveOwnerThread(Thread.currentThread());
        owner.held.push(this, owner.depth());
    }

    /** The validator's look at a blocking take, before it; a failing report sink leaves nothing taken. */
    private void validate(Owner owner) {
        LockValidator v = cls.validator();
        if (v != null) {
            v.acquired(this, owner, false);
        }
    }

    /**
     * The validator's look at a successful trylock, after it (lockdep's lock_acquire() with
     * trylock=1: no dependency); a failing report sink undoes the take.
     */
    private void validateTrylock(Owner owner) {
        LockValidator v = cls.validator();
        if (v != null) {
            try {
                v.acquired(this, owner, true);
            } catch (Throwable e) {
                int slot = owner.held.find(this);
                if (slot >= 0) { // unless the sink itself unlocked it
                    forceRelease(owner, slot);
                }
                throw e;
            }
        }
    }

    /**
     * Releases without running deferred tasks: {@link Owner}'s unwinding, after an unlock that failed
     * before its release. Tasks still queued for the lock are dropped (their slot's queue must be
     * empty for the next lock in that slot); returns how many.
     */
    int forceRelease(Owner owner, int slot) {
        int dropped = owner.held.discardDeferred(slot);
        owner.held.remove(slot);
        setExclusiveOwnerThread(null);
        release(ARG);
        return dropped;
    }

    Owner checked(Owner owner) {
        if (owner == null) {
            throw new NullPointerException(name() + ": null owner");
        }
        return owner;
    }

    /** Before parking: another owner on this very thread holds it, so parking would never end. */
    private void checkSameThread(Owner owner) {
        if (getExclusiveOwnerThread() == Thread.currentThread()) {
            throw new LockMisuseException(this, owner, "lock of a lock another owner holds on this same thread "
                    + Thread.currentThread().getName() + ": waiting would wait for itself");
        }
    }

    static LockResult nestedResult(Owner owner, int slot) {
        return owner.held.depth(slot) < owner.depth() ? LockResult.NESTED : LockResult.SAME_CONTEXT;
    }

    @Override
    protected boolean tryAcquire(int arg) {
        check(arg);
        return compareAndSetState(0, 1);
    }

    @Override
    protected boolean tryRelease(int arg) {
        check(arg);
        setState(0);
        return true;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getState() != 0;
    }

    private void check(int arg) {
        if (arg != ARG) {
            throw new UnsupportedOperationException(name() + ": acquire/release through AbstractQueuedSynchronizer "
                    + "would skip the context checks; use lock() and unlock()");
        }
    }

    @Override
    public String toString() {
        return "ContextLock[" + name() + (isLocked() ? ", locked]" : ", unlocked]");
    }
}
