package io.ctxlock.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/** The footprint the lock's javadoc claims, measured with JOL, and the paths that must not allocate. */
class LayoutAndAllocationTest {
    @Test
    void aLockIsThirtyTwoBytesWhereReentrantLockIsFortyEight() {
        ContextLockClass cls = ContextLockClass.of("shared");
        long lock = ClassLayout.parseInstance(cls.newLock()).instanceSize();
        long reentrant = GraphLayout.parseInstance(new ReentrantLock()).totalSize();
        assertTrue(lock <= 32, ClassLayout.parseClass(ContextLock.class).toPrintable());
        assertEquals(48, reentrant, "the baseline the README quotes (compressed oops)");
    }

    /** Tagged so that mutation testing, whose instrumentation allocates, leaves it out. */
    @Test
    @Tag("allocation")
    void lockPathsContextsAndDeferralAllocateNothing() {
        Owner owner = Owner.create("main");
        ContextLock a = new ContextLock("a");
        ContextLock d = new ContextLock("d", NestedPolicy.DEFER);
        int[] counter = new int[1];
        Runnable task = () -> counter[0]++;
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int round = 0; round < 5; round++) { // rounds 0-3 warm up (and create the deferral queue)
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20_000; i++) {
                a.tryLockDetailed(owner);
                a.unlock(owner);
                a.lock(owner);
                try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
                    a.tryLockDetailed(owner);
                }
                a.unlock(owner);
                a.execute(owner, task);
                d.lock(owner);
                try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
                    d.runOrDefer(owner, task);
                }
                d.unlock(owner);
                a.tryLock();
                a.unlock();
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (round == 4) {
                assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 20000 rounds");
            }
        }
        assertEquals(5 * 20_000 * 2, counter[0]);
    }
}
