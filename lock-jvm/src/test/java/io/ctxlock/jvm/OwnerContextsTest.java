package io.ctxlock.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An owner's stack of contexts: scopes, their misuse, and the implicit per-thread owner. */
class OwnerContextsTest {
    private final Owner owner = Owner.create("main");

    @Test
    void aScopeMarksTheCodeBelowAsNestedUntilItCloses() {
        assertEquals(0, owner.depth());
        assertEquals(ContextKind.THREAD, owner.context());
        assertEquals("thread(main)", owner.contextName());
        try (Scope s = owner.enter(ContextKind.CALLBACK, "appender")) {
            assertEquals(1, s.depth());
            assertSame(owner, s.owner());
            try (Scope a = owner.enter(ContextKind.ADVICE, "otel")) {
                assertEquals(2, owner.depth());
                assertEquals(ContextKind.ADVICE, owner.context());
                assertEquals("thread(main) > callback(appender) > advice(otel)", owner.contextStack());
            }
            assertEquals("callback(appender)", owner.contextName());
        }
        assertEquals(0, owner.depth());
        assertEquals("thread(main)", owner.contextStack());
    }

    @Test
    void anExceptionClosesTheScopesItCrosses() {
        assertThrows(IllegalArgumentException.class, () -> {
            try (Scope s = owner.enter(ContextKind.HANDLER, "channelRead")) {
                try (Scope t = owner.enter(ContextKind.CALLBACK, "listener")) {
                    throw new IllegalArgumentException("from the callback");
                }
            }
        });
        assertEquals(0, owner.depth());
    }

    @Test
    void closingAnOuterScopeFirstClosesTheInnerOneTooAndSaysSo() {
        Scope outer = owner.enter(ContextKind.CALLBACK, "a");
        owner.enter(ContextKind.CALLBACK, "b"); // never closed: a bug in the callback
        ContextMisuseException e = assertThrows(ContextMisuseException.class, outer::close);
        assertTrue(e.getMessage().startsWith("closing callback(a) while callback(b) is still open: closed, and its "
                + "locks released, on its behalf"), e.getMessage());
        assertTrue(e.getMessage().contains("contexts: thread(main) > callback(a) > callback(b)"), e.getMessage());
        assertEquals("main", e.ownerName());
        assertEquals("callback(b)", e.context());
        assertEquals(0, owner.depth(), "the thread is not left inside a callback");
        ContextMisuseException twice = assertThrows(ContextMisuseException.class, outer::close);
        assertTrue(twice.getMessage().startsWith("closing a scope that is already closed"), twice.getMessage());
        assertEquals(0, owner.depth());
    }

    @Test
    void aContextThatReturnsHoldingALockHasItReleasedAndTheOuterCodeCanStillUnlockItsOwn() {
        ContextLock outerLock = new ContextLock("outer-lock");
        ContextLock lock = new ContextLock("appender-lock");
        outerLock.lock(owner);
        ContextMisuseException e = assertThrows(ContextMisuseException.class, () -> {
            try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
                lock.lock(owner);
                s.owner().enter(ContextKind.ADVICE, "inner"); // left open too
            }
        });
        assertTrue(e.getMessage().startsWith("closing callback(cb) while advice(inner) is still open"), e.getMessage());
        assertEquals(0, owner.depth());
        assertFalse(lock.isLocked(), "released on the callback's behalf: other threads are not stuck behind it");
        assertTrue(outerLock.isHeldByCurrentContext(owner));
        outerLock.unlock(owner); // the outer code's own finally still works
        Scope s = owner.enter(ContextKind.CALLBACK, "cb");
        lock.lock(owner);
        ContextMisuseException held = assertThrows(ContextMisuseException.class, s::close);
        assertTrue(held.getMessage().startsWith("callback(cb) returns holding appender-lock: closed, and its locks "
                + "released, on its behalf"), held.getMessage());
        assertEquals(0, owner.depth());
        assertFalse(lock.isLocked());
        lock.lock(owner);
        try (Scope t = owner.enter(ContextKind.CALLBACK, "while the caller holds it")) {
            assertEquals(1, t.depth()); // closes fine: the lock is the outer context's
        }
        lock.unlock(owner);
    }

    @Test
    void nestingDeeperThanTheStackIsRefusedAndOnlyNestedKindsCanBeEntered() {
        for (int i = 1; i < Owner.MAX_DEPTH; i++) {
            owner.enter(ContextKind.CALLBACK, "c" + i);
        }
        ContextMisuseException e = assertThrows(ContextMisuseException.class,
                () -> owner.enter(ContextKind.CALLBACK, "one too many"));
        assertTrue(e.getMessage().contains("deeper than " + Owner.MAX_DEPTH), e.getMessage());
        assertEquals(Owner.MAX_DEPTH - 1, owner.depth());
        assertThrows(IllegalArgumentException.class, () -> Owner.create("x").enter(ContextKind.THREAD, "t"));
        assertThrows(IllegalArgumentException.class, () -> Owner.create("x").enter(null, "t"));
        assertThrows(IllegalArgumentException.class, () -> Owner.create("x", 0));
        assertEquals(1, Owner.create("x", 1).enter(ContextKind.CALLBACK, "smallest queue").depth());
    }

    @Test
    void eachThreadHasItsOwnImplicitOwnerNamedAfterIt() throws Exception {
        Owner mine = ThreadContexts.current();
        assertSame(mine, ThreadContexts.current());
        AtomicReference<Owner> theirs = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (Scope s = ThreadContexts.enter(ContextKind.HANDLER, "read")) {
                theirs.set(ThreadContexts.current());
                assertEquals(1, ThreadContexts.current().depth());
            }
        }, "worker-1");
        t.start();
        t.join();
        assertNotSame(mine, theirs.get());
        assertEquals("worker-1", theirs.get().name());
        assertEquals(0, theirs.get().depth());
        assertEquals(0, mine.depth(), "the other thread's scope is not ours");
        Owner loop = Owner.create("event-loop-1");
        Owner prev = ThreadContexts.swap(loop);
        try {
            assertSame(loop, ThreadContexts.current(), "a host's owner acts through the Lock methods");
            ContextLock lock = new ContextLock("l");
            lock.lock();
            assertTrue(lock.isHeldByCurrentContext(loop));
            lock.unlock();
        } finally {
            assertSame(loop, ThreadContexts.swap(prev));
        }
        assertSame(mine, ThreadContexts.current());
        assertThrows(NullPointerException.class, () -> ThreadContexts.swap(null));
    }

}
