package io.ctxlock.jvm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock's contract: why a trylock fails, what lock() refuses, parking, and misuse. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails instead of blocking the build
class ContextLockTest {
    private final Owner main = Owner.create("main");
    private final Owner other = Owner.create("loop-2");
    private final ContextLock lock = new ContextLock("appender-lock");

    @Test
    void aTrylockSaysWhetherAnotherOwnerAnOuterContextOrTheSameContextHoldsIt() {
        assertEquals(LockResult.ACQUIRED, lock.tryLockDetailed(main));
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentContext(main));
        assertEquals(LockResult.SAME_CONTEXT, lock.tryLockDetailed(main));
        assertEquals(LockResult.OTHER_OWNER, lock.tryLockDetailed(other), "an owner is not a thread");
        try (Scope s = main.enter(ContextKind.CALLBACK, "append")) {
            assertEquals(LockResult.NESTED, lock.tryLockDetailed(main));
            assertFalse(lock.tryLock(main));
            assertFalse(lock.isHeldByCurrentContext(main), "the outer context holds it, not this one");
        }
        lock.unlock(main);
        assertFalse(lock.isLocked());
        assertTrue(lock.tryLock(other));
        lock.unlock(other);
        assertTrue(LockResult.ACQUIRED.acquired());
        assertTrue(LockResult.NESTED.heldByCaller() && LockResult.SAME_CONTEXT.heldByCaller());
        assertFalse(LockResult.OTHER_OWNER.heldByCaller());
    }

    @Test
    void lockOfALockItsOwnerHoldsThrowsNamingTheLockTheOwnerAndBothContexts() {
        lock.lock(main);
        try (Scope s = main.enter(ContextKind.ADVICE, "otel")) {
            NestedLockException e = assertThrows(NestedLockException.class, () -> lock.lock(main));
            assertTrue(e.getMessage().startsWith("BUG: nested lock of appender-lock: held by thread(main), wanted by "
                    + "advice(otel) of the same owner main"), e.getMessage());
            assertTrue(e.getMessage().contains("held locks: [appender-lock (thread(main))]"), e.getMessage());
            assertEquals(LockResult.NESTED, e.result());
            assertEquals("appender-lock", e.lockName());
            assertEquals("main", e.ownerName());
            assertEquals("thread(main)", e.holderContext());
            assertEquals("advice(otel)", e.context());
            assertThrows(NestedLockException.class, () -> lock.lockInterruptibly(main));
        }
        NestedLockException same = assertThrows(NestedLockException.class, () -> lock.lock(main));
        assertEquals(LockResult.SAME_CONTEXT, same.result());
        assertTrue(same.getMessage().startsWith("BUG: recursive lock of appender-lock"), same.getMessage());
        lock.unlock(main);
        assertFalse(lock.isLocked(), "one unlock frees it: the refused takes changed nothing");
    }

    @Test
    void aTimedTrylockReturnsNestedAtOnceInsteadOfWaitingOutItsOwnTimeout() throws Exception {
        lock.lock(main);
        try (Scope s = main.enter(ContextKind.CALLBACK, "cb")) {
            assertEquals(LockResult.NESTED, lock.tryLockDetailed(main, 1, TimeUnit.HOURS));
            assertFalse(lock.tryLock(main, 1, TimeUnit.HOURS));
        }
        assertEquals(LockResult.OTHER_OWNER, lock.tryLockDetailed(other, 1, TimeUnit.MILLISECONDS));
        lock.unlock(main);
        assertEquals(LockResult.ACQUIRED, lock.tryLockDetailed(other, 1, TimeUnit.HOURS));
        lock.unlock(other);
    }

    @Test
    void anotherThreadParksUntilTheHolderUnlocks() throws Exception {
        lock.lock(main);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            lock.lock(); // the implicit form: this thread's owner
            seen.set(ThreadContexts.current().name() + " holds it: " + lock.isHeldByCurrentContext());
            lock.unlock();
        }, "worker");
        t.start();
        while (!lock.hasQueuedThreads()) { // parked in the queue: a state, not a timing window
            Thread.onSpinWait();
        }
        assertEquals(null, seen.get());
        lock.unlock(main);
        t.join();
        assertEquals("worker holds it: true", seen.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void anInterruptWhileParkedGivesUpWithNothingTaken() throws Exception {
        lock.lock(main);
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                lock.lockInterruptibly();
                seen.set("acquired");
            } catch (InterruptedException e) {
                seen.set(ThreadContexts.current().toString());
            }
        }, "worker");
        t.start();
        while (!lock.hasQueuedThreads()) {
            Thread.onSpinWait();
        }
        t.interrupt();
        t.join();
        assertEquals("Owner[worker, thread(worker), holding []]", seen.get());
        assertTrue(lock.isHeldByCurrentContext(main));
        lock.unlock(main);
    }

    @Test
    void unlockByAnythingButTheHoldingContextIsRefusedAndChangesNothing() {
        LockMisuseException free = assertThrows(LockMisuseException.class, () -> lock.unlock(main));
        assertTrue(free.getMessage().startsWith("BUG: unlock of an unlocked lock (lock appender-lock)"), free.getMessage());
        lock.lock(main);
        LockMisuseException foreign = assertThrows(LockMisuseException.class, () -> lock.unlock(other));
        assertTrue(foreign.getMessage().startsWith("BUG: unlock of a lock another owner holds (taken on thread "
                + Thread.currentThread().getName() + ")"), foreign.getMessage());
        assertEquals("loop-2", foreign.ownerName());
        try (Scope s = main.enter(ContextKind.CALLBACK, "cb")) {
            LockMisuseException nested = assertThrows(LockMisuseException.class, () -> lock.unlock(main));
            assertTrue(nested.getMessage().startsWith("BUG: unlock from callback(cb) of a lock held by thread(main)"),
                    nested.getMessage());
            assertEquals("appender-lock", nested.lockName());
            assertEquals("callback(cb)", nested.context());
        }
        assertTrue(lock.isHeldByCurrentContext(main));
        lock.unlock(main);
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentContext(main));
        lock.lock(other);
        lock.unlock(other);
        LockMisuseException again = assertThrows(LockMisuseException.class, () -> lock.unlock(main));
        assertTrue(again.getMessage().startsWith("BUG: unlock of an unlocked lock"), "the holder thread is forgotten at "
                + "the unlock: " + again.getMessage());
    }

    @Test
    void theImplicitFormsActForTheCallingThreadsOwner() throws Exception {
        Owner mine = ThreadContexts.current();
        assertTrue(lock.tryLock());
        assertTrue(lock.isHeldByCurrentContext());
        assertTrue(lock.isHeldByCurrentContext(mine));
        assertEquals(LockResult.SAME_CONTEXT, lock.tryLockDetailed());
        try (Scope s = ThreadContexts.enter(ContextKind.CALLBACK, "cb")) {
            assertFalse(lock.tryLock(1, TimeUnit.HOURS), "nested: at once");
            assertFalse(lock.isHeldByCurrentContext());
        }
        lock.unlock();
        assertTrue(lock.tryLock(1, TimeUnit.HOURS));
        lock.unlock();
        lock.lockInterruptibly();
        lock.unlock();
        assertEquals(LockResult.ACQUIRED, lock.tryLockDetailed());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void aTimedTrylockAndLockInterruptiblyGetTheLockWhenTheOtherOwnerReleasesIt() throws Exception {
        for (int round = 0; round < 2; round++) {
            boolean timed = round == 0;
            lock.lock(main);
            AtomicReference<Object> seen = new AtomicReference<>();
            Thread t = new Thread(() -> {
                Owner o = ThreadContexts.current();
                try {
                    if (timed) {
                        seen.set(lock.tryLockDetailed(o, 1, TimeUnit.HOURS));
                    } else {
                        lock.lockInterruptibly(o);
                        seen.set("locked");
                    }
                    seen.set(seen.get() + ", held here: " + lock.isHeldByCurrentContext(o));
                    lock.unlock(o);
                } catch (InterruptedException e) {
                    seen.set(e);
                }
            }, "worker");
            t.start();
            while (!lock.hasQueuedThreads()) {
                Thread.onSpinWait();
            }
            lock.unlock(main);
            t.join();
            assertEquals((timed ? "ACQUIRED" : "locked") + ", held here: true", String.valueOf(seen.get()));
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void anotherOwnerOnThisVeryThreadIsRefusedInsteadOfParkingForGood() throws Exception {
        lock.lock(main);
        LockMisuseException e = assertThrows(LockMisuseException.class, () -> lock.lock(other));
        assertTrue(e.getMessage().startsWith("BUG: lock of a lock another owner holds on this same thread"),
                e.getMessage());
        assertThrows(LockMisuseException.class, () -> lock.lockInterruptibly(other));
        assertEquals(LockResult.OTHER_OWNER, lock.tryLockDetailed(other, 1, TimeUnit.HOURS), "at once");
        assertTrue(lock.isHeldByCurrentContext(main));
        assertFalse(lock.hasQueuedThreads());
        lock.unlock(main);
    }

    @Test
    void aPendingInterruptIsThrownByTheInterruptibleTakesEvenOnAFreeLock() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.lockInterruptibly(main));
        assertFalse(lock.isLocked());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLockDetailed(main, 1, TimeUnit.HOURS));
        assertFalse(lock.isLocked());
        assertFalse(Thread.interrupted(), "the status was consumed by the exception");
        lock.lock(main);
        Thread.currentThread().interrupt();
        try {
            assertThrows(NestedLockException.class, () -> lock.lockInterruptibly(main), "the misuse comes first");
            assertEquals(LockResult.SAME_CONTEXT, assertDoesNotThrow(() -> lock.tryLockDetailed(main, 1,
                    TimeUnit.HOURS)));
        } finally {
            assertTrue(Thread.interrupted(), "untouched by the refusals");
            lock.unlock(main);
        }
    }

    @Test
    void aDeferredTaskThrowingACheckedExceptionSneakilyStillLetsTheUnlockRelease() {
        ContextLock d = new ContextLock("d", NestedPolicy.DEFER);
        d.lock(main);
        try (Scope s = main.enter(ContextKind.CALLBACK, "cb")) {
            d.runOrDefer(s.owner(), () -> ContextLockTest.<RuntimeException>sneaky(new java.io.IOException("disk")));
        }
        Exception e = assertThrows(Exception.class, () -> d.unlock(main));
        assertEquals("disk", e.getMessage());
        assertFalse(d.isLocked());
        assertFalse(d.isHeldByCurrentContext(main));
    }

    @Test
    void aScopeClosingWithALockWhoseDeferredTaskThrowsCheckedStillRestoresTheOwner() {
        ContextLock d = new ContextLock("d", NestedPolicy.DEFER);
        Scope s = main.enter(ContextKind.CALLBACK, "cb");
        d.lock(main);
        try (Scope inner = main.enter(ContextKind.CALLBACK, "nested")) {
            d.runOrDefer(inner.owner(), () -> ContextLockTest.<RuntimeException>sneaky(new java.io.IOException("disk")));
        }
        ContextMisuseException e = assertThrows(ContextMisuseException.class, s::close);
        assertEquals("disk", e.getSuppressed()[0].getMessage());
        assertEquals(0, main.depth());
        assertFalse(d.isLocked());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void theValidatorReportsAnInversionBeforeTheLockWaits() {
        LockValidator v = new LockValidator();
        ContextLock a = ContextLockClass.of("a", NestedPolicy.THROW, v).newLock();
        ContextLock b = ContextLockClass.of("b", NestedPolicy.THROW, v).newLock();
        a.lock(main);
        b.lock(main); // a -> b
        b.unlock(main);
        b.lock(other);
        assertThrows(LockMisuseException.class, () -> a.lock(other)); // would wait for main (this thread)
        assertEquals(1, v.reports().size(), "reported before the wait, as lockdep does: " + v.reports());
        assertTrue(v.reports().get(0).startsWith("WARNING: possible circular locking dependency detected"));
        b.unlock(other);
        a.unlock(main);
    }

    @Test
    void nullOwnersAndTasksAreRefusedWithTheLocksName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> lock.lock(null));
        assertEquals("appender-lock: null owner", e.getMessage());
        assertThrows(NullPointerException.class, () -> lock.tryLockDetailed(null));
        assertThrows(NullPointerException.class, () -> lock.unlock((Owner) null));
        assertEquals("appender-lock: null task", assertThrows(NullPointerException.class,
                () -> lock.execute(main, null)).getMessage());
        assertFalse(lock.isLocked());
    }

    @Test
    void aValidatorSinkThatThrowsLeavesTheLockUntaken() {
        LockValidator v = new LockValidator(r -> {
            throw new IllegalStateException("fail on report");
        });
        ContextLockClass cls = ContextLockClass.of("same", NestedPolicy.THROW, v);
        ContextLock a = cls.newLock();
        ContextLock b = cls.newLock();
        a.lock(main);
        assertThrows(IllegalStateException.class, () -> b.lock(main)); // recursion report: the sink throws
        assertFalse(b.isLocked());
        assertFalse(b.isHeldByCurrentContext(main));
        assertEquals(1, v.reports().size());
        a.unlock(main);
        b.lock(main); // reported once already: no sink call now
        b.unlock(main);
        ContextLock c = cls.newLock();
        ContextLock d = cls.newLock();
        c.lock(main);
        LockValidator v2 = new LockValidator(r -> {
            throw new IllegalStateException("fail on report");
        });
        ContextLock e = ContextLockClass.of("same", NestedPolicy.THROW, v2).newLock();
        assertThrows(IllegalStateException.class, () -> e.tryLock(main), "after the trylock: undone");
        assertFalse(e.isLocked());
        assertFalse(e.isHeldByCurrentContext(main));
        assertTrue(d.tryLock(main), "v's report of this pair was made already");
        d.unlock(main);
        c.unlock(main);
    }

    @Test
    void aTaskThatFailsKeepsItsOwnExceptionAndTheLockIsReleased() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lock.execute(main, () -> {
            throw new IllegalStateException("task");
        }));
        assertEquals("task", e.getMessage());
        assertFalse(lock.isLocked());
    }

    @Test
    void theSynchronizerCannotBeDrivenAroundTheChecksAndThereAreNoConditions() {
        assertThrows(UnsupportedOperationException.class, () -> lock.acquire(1));
        assertThrows(UnsupportedOperationException.class, () -> lock.release(1));
        assertFalse(lock.isLocked());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertTrue(e.getMessage().startsWith("appender-lock: ContextLock has no conditions"), e.getMessage());
    }

    @Test
    void aFortyNinthHeldLockIsRefusedBeforeItIsTaken() {
        ContextLock[] held = new ContextLock[HeldLocks.MAX_HELD];
        for (int i = 0; i < held.length; i++) {
            held[i] = new ContextLock("l" + i);
            held[i].lock(main);
        }
        assertThrows(ContextMisuseException.class, () -> lock.lock(main));
        assertThrows(ContextMisuseException.class, () -> lock.tryLockDetailed(main));
        assertThrows(ContextMisuseException.class, () -> lock.tryLockDetailed(main, 1, TimeUnit.SECONDS));
        assertFalse(lock.isLocked());
        for (int i = 0; i < held.length; i += 2) { // out of order: the table closes its gaps
            held[i].unlock(main);
        }
        for (int i = 1; i < held.length; i += 2) {
            assertTrue(held[i].isHeldByCurrentContext(main));
            held[i].unlock(main);
        }
        assertEquals("Owner[main, thread(main), holding []]", main.toString());
        assertEquals("ContextLock[appender-lock, unlocked]", lock.toString());
    }
}
