package io.ctxlock.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator: off by default, and one example per report, each shown to fire with its text. */
class LockValidatorTest {
    private final List<String> printed = new ArrayList<>();
    private final LockValidator v = new LockValidator(printed::add);
    private final Owner owner = Owner.create("main");

    private ContextLock lock(String name) {
        return ContextLockClass.of(name, NestedPolicy.THROW, v).newLock();
    }

    @Test
    void isOffByDefault() {
        assertNull(new ContextLock("plain").lockClass().validator());
        assertNull(ContextLockClass.of("plain", NestedPolicy.DEFER).validator());
    }

    @Test
    void aCleanOrderReportsNothing() {
        ContextLock a = lock("a");
        ContextLock b = lock("b");
        for (int i = 0; i < 2; i++) {
            a.lock(owner);
            b.lock(owner);
            b.unlock(owner);
            a.unlock(owner);
        }
        assertTrue(v.reports().isEmpty(), v.reports().toString());
    }

    @Test
    void abThenBaIsACircularDependencyAcrossOwners() {
        ContextLock a = lock("a");
        ContextLock b = lock("b");
        a.lock(owner);
        b.lock(owner);
        b.unlock(owner);
        a.unlock(owner);
        Owner other = Owner.create("other");
        b.lock(other);
        a.lock(other);
        a.unlock(other);
        b.unlock(other);
        assertEquals(1, v.reports().size(), v.reports().toString());
        String r = v.reports().get(0);
        assertTrue(r.startsWith("WARNING: possible circular locking dependency detected\n"), r);
        assertTrue(r.contains("is trying to acquire lock:\n (a)\nbut the owner is already holding lock:\n (b)"), r);
        assertTrue(r.contains("the existing dependency chain is:\n (a) -> (b)"), r);
        assertTrue(r.contains("owner: other"), r);
        assertEquals(v.reports(), printed, "each report goes to the sink once");
    }

    @Test
    void aTrylockAddsNoDependency() {
        ContextLock a = lock("a");
        ContextLock b = lock("b");
        a.lock(owner);
        assertTrue(b.tryLock(owner)); // a trylock cannot deadlock: no a -> b
        b.unlock(owner);
        a.unlock(owner);
        b.lock(owner);
        a.lock(owner);
        a.unlock(owner);
        b.unlock(owner);
        assertTrue(v.reports().isEmpty(), v.reports().toString());
    }

    @Test
    void aNestedLockAndASecondLockOfAHeldClassAreRecursion() {
        ContextLockClass cls = ContextLockClass.of("appender", NestedPolicy.THROW, v);
        ContextLock a = cls.newLock();
        ContextLock b = cls.newLock();
        a.lock(owner);
        b.lock(owner);
        assertEquals(1, v.reports().size(), v.reports().toString());
        assertTrue(v.reports().get(0).startsWith("WARNING: possible recursive locking detected\nthread(main) is trying "
                + "to acquire lock:\n (appender)\nbut the owner is already holding lock:\n (appender) taken in thread(main)"),
                v.reports().get(0));
        b.unlock(owner);
        ContextLock c = lock("c");
        c.lock(owner);
        try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
            assertThrows(NestedLockException.class, () -> c.lock(owner));
        }
        assertEquals(2, v.reports().size(), v.reports().toString());
        assertTrue(v.reports().get(1).contains("callback(cb) is trying to acquire lock:\n (c)\nbut thread(main) of the "
                + "same owner is already holding it"), v.reports().get(1));
        assertEquals(v.reports(), printed, "both reports reached the sink");
        c.unlock(owner);
        a.unlock(owner);
    }

    @Test
    void aTimedTrylockCanWaitSoItIsCheckedAsALockBeforeItWaits() throws Exception {
        ContextLock a = lock("a");
        ContextLock b = lock("b");
        a.lock(owner);
        b.lock(owner); // a -> b
        b.unlock(owner);
        a.unlock(owner);
        assertTrue(b.tryLock(owner, 1, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(a.tryLock(owner, 1, java.util.concurrent.TimeUnit.SECONDS)); // b -> a: a cycle, unlike a trylock
        a.unlock(owner);
        b.unlock(owner);
        assertEquals(1, v.reports().size(), v.reports().toString());
        assertTrue(v.reports().get(0).startsWith("WARNING: possible circular locking dependency detected"));
    }

    @Test
    void aThrowClassTakenInsideACallbackAndOutsideIsInconsistentLockState() {
        ContextLock a = lock("a");
        try (Scope s = owner.enter(ContextKind.CALLBACK, "listener")) {
            a.lock(owner);
            a.unlock(owner);
        }
        assertTrue(v.reports().isEmpty(), v.reports().toString());
        a.lock(owner);
        a.unlock(owner);
        assertEquals(1, v.reports().size(), v.reports().toString());
        String r = v.reports().get(0);
        assertTrue(r.startsWith("WARNING: inconsistent lock state\ninconsistent {OUTSIDE-CONTEXT} <-> {IN-CALLBACK} "
                + "usage of (a).\n{IN-CALLBACK} state was registered at:\n  thread(main) > callback(listener)"), r);
    }

    @Test
    void aDeferClassIsMeantToBeTakenInsideAndOutside() {
        ContextLock a = ContextLockClass.of("appender", NestedPolicy.DEFER, v).newLock();
        try (Scope s = owner.enter(ContextKind.CALLBACK, "listener")) {
            a.lock(owner);
            a.unlock(owner);
        }
        a.lock(owner);
        a.unlock(owner);
        assertTrue(v.reports().isEmpty(), v.reports().toString());
        assertTrue(new LockValidator().reports().isEmpty());
    }
}
