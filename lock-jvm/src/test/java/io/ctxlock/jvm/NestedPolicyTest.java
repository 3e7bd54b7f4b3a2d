package io.ctxlock.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What execute() and runOrDefer() do with a task whose lock its own owner holds. */
class NestedPolicyTest {
    private final Owner owner = Owner.create("main");
    private final List<String> log = new ArrayList<>();

    private Outcome nested(ContextLock lock, String task) {
        try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
            return lock.execute(owner, () -> log.add(task + (lock.isHeldByCurrentContext(owner) ? " under the lock" : "")));
        }
    }

    @Test
    void aFreeLockRunsTheTaskUnderItUnderEveryPolicy() {
        for (NestedPolicy p : NestedPolicy.values()) {
            ContextLock lock = new ContextLock("l", p);
            assertEquals(Outcome.RAN, lock.execute(owner, () -> log.add(p + ": " + lock.isHeldByCurrentContext(owner))));
            assertEquals(Outcome.RAN, lock.runOrDefer(owner, () -> { }));
            assertEquals(Outcome.RAN, lock.execute(() -> { }), "the implicit form: this thread's owner");
            assertEquals(Outcome.RAN, lock.runOrDefer(() -> { }));
            assertFalse(lock.isLocked());
        }
        assertEquals(List.of("THROW: true", "DROP: true", "DEFER: true"), log);
    }

    @Test
    void throwRefusesTheNestedTask() {
        ContextLock lock = new ContextLock("l", NestedPolicy.THROW);
        lock.lock(owner);
        NestedLockException e = assertThrows(NestedLockException.class, () -> nested(lock, "t"));
        assertEquals("callback(cb)", e.context());
        assertTrue(log.isEmpty());
        lock.unlock(owner);
    }

    @Test
    void dropSkipsAndCountsPerClass() {
        ContextLockClass cls = ContextLockClass.of("appender", NestedPolicy.DROP);
        ContextLock a = cls.newLock();
        ContextLock b = cls.newLock();
        a.lock(owner);
        b.lock(owner);
        assertEquals(Outcome.DROPPED, nested(a, "x"));
        assertEquals(Outcome.DROPPED, nested(b, "y"));
        assertEquals(Outcome.DROPPED, a.execute(owner, () -> log.add("same context")));
        b.unlock(owner);
        a.unlock(owner);
        assertEquals(3, cls.dropped());
        assertTrue(log.isEmpty());
        assertSame(cls, a.lockClass());
    }

    @Test
    void deferRunsTheTasksAtTheHoldersUnlockInOrderUnderTheLockAndTrampolines() {
        ContextLock lock = new ContextLock("emitter", NestedPolicy.DEFER);
        lock.lock(owner);
        assertEquals(Outcome.DEFERRED, nested(lock, "first"));
        try (Scope s = owner.enter(ContextKind.CALLBACK, "onNext")) {
            assertEquals(Outcome.DEFERRED, lock.runOrDefer(owner, () -> {
                log.add("second");
                lock.runOrDefer(owner, () -> log.add("third, deferred by the second")); // lands at the end
            }));
        }
        assertEquals(Outcome.DEFERRED, nested(lock, "fourth"));
        assertTrue(log.isEmpty(), "nothing runs before the unlock");
        lock.unlock(owner);
        assertEquals(List.of("first under the lock", "second", "fourth under the lock", "third, deferred by the second"),
                log);
        assertFalse(lock.isLocked());
    }

    @Test
    void deferredTasksGoToTheirOwnLocksUnlockWhicheverOrderTheLocksAreReleased() {
        ContextLock outer = new ContextLock("outer", NestedPolicy.DEFER);
        ContextLock inner = new ContextLock("inner", NestedPolicy.DEFER);
        outer.lock(owner);
        nested(outer, "o1");
        inner.lock(owner);
        nested(inner, "i1");
        nested(outer, "o2");
        outer.unlock(owner); // out of order: the inner lock's queue moves with it
        assertEquals(List.of("o1 under the lock", "o2 under the lock"), log);
        inner.unlock(owner);
        assertEquals(List.of("o1 under the lock", "o2 under the lock", "i1 under the lock"), log);
    }

    @Test
    void aFailingDeferredTaskDoesNotStopTheOthersAndIsThrownAfterTheRelease() {
        ContextLock lock = new ContextLock("l", NestedPolicy.DEFER);
        lock.lock(owner);
        try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
            lock.execute(owner, () -> {
                throw new IllegalStateException("first");
            });
            lock.execute(owner, () -> log.add("ran"));
            lock.execute(owner, () -> {
                throw new AssertionError("second");
            });
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lock.unlock(owner));
        assertEquals("first", e.getMessage());
        assertEquals("second", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("ran"), log);
        assertFalse(lock.isLocked(), "released before the failure is thrown");
        assertFalse(lock.isHeldByCurrentContext(owner));
    }

    @Test
    void aDeferredTaskThatUnlocksTheLockItRunsUnderIsReported() {
        ContextLock lock = new ContextLock("l", NestedPolicy.DEFER);
        lock.lock(owner);
        try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
            lock.runOrDefer(owner, () -> lock.unlock(owner));
            lock.runOrDefer(owner, () -> log.add("after"));
        }
        LockMisuseException e = assertThrows(LockMisuseException.class, () -> lock.unlock(owner));
        assertTrue(e.getMessage().startsWith("BUG: a task deferred to the unlock unlocked the lock it ran under"),
                e.getMessage());
        assertEquals(List.of("after"), log, "the task's own unlock ran the rest of the queue");
        assertFalse(lock.isLocked());
    }

    @Test
    void aFullQueueRefusesTheTaskWithTheLockTheOwnerAndTheCapacity() {
        Owner small = Owner.create("small", 4);
        ContextLock lock = new ContextLock("l", NestedPolicy.DEFER);
        lock.lock(small);
        int queued = 0;
        DeferQueueFullException full;
        try (Scope s = small.enter(ContextKind.HANDLER, "h")) {
            for (;;) {
                try {
                    lock.runOrDefer(small, () -> log.add("t"));
                    queued++;
                } catch (DeferQueueFullException e) {
                    full = e;
                    break;
                }
            }
        }
        assertEquals(full.capacity(), queued);
        assertTrue(queued >= 4, "at least the capacity asked for: " + queued);
        assertTrue(full.getMessage().startsWith("deferred-task queue of l full (" + queued + " tasks) in handler(h)"),
                full.getMessage());
        lock.unlock(small);
        assertEquals(queued, log.size(), "every queued task ran; the refused one did not");
    }
}
