package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.contract.LockWords;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No object per lock beyond the 24-byte SpinLock in any UP mode: the locks of a machine share the
 * mode's word operations (one per group for proposal C, whose group word is that object's).
 */
class UpFootprintTest {
    @ParameterizedTest
    @EnumSource(UpMode.class)
    void locksOfOneClassShareTheirWordOperations(UpMode mode) {
        Machine m = Machine.builder().backend(UpBackend.create(mode)).build();
        LockClass cls = LockClass.of("pcp->lock");
        assertSame(LockWords.of(m.newSpinLock("pcp0", cls)), LockWords.of(m.newSpinLock("pcp1", cls)));
        if (mode == UpMode.SHARED_WORD) {
            assertNotSame(LockWords.of(m.newSpinLock("pcp2", cls)),
                    LockWords.of(m.newSpinLock("zone", LockClass.of("zone->lock"))),
                    "one shared word per group");
        }
    }
}
