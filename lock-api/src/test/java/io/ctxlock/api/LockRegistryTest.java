package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.contract.LockWords;
import io.ctxlock.api.contract.ReferenceBackend;
import io.ctxlock.api.spi.BackendSpi;
import org.junit.jupiter.api.Test;

/**
 * Where a lock's name and class live now that a SpinLock is only its word, id and backend: the
 * machine's registry, past its first growth; and a backend that hands a lock the word operations of
 * another machine is refused before anything is registered.
 */
class LockRegistryTest {
    @Test
    void namesAndClassesSurviveTheRegistrysGrowth() {
        Machine m = Machine.builder().backend(new ReferenceBackend()).build();
        LockClass shared = LockClass.of("bucket->lock");
        SpinLock[] locks = new SpinLock[100]; // the registry starts with 16 slots
        for (int i = 0; i < locks.length; i++) {
            locks[i] = m.newSpinLock("bucket" + i, shared);
        }
        for (int i = 0; i < locks.length; i++) {
            assertEquals("bucket" + i, locks[i].name());
            assertSame(shared, locks[i].lockClass());
            assertEquals(i + 1, locks[i].id());
            assertSame(locks[i], m.lockById(locks[i].id()));
        }
        assertThrows(IllegalArgumentException.class, () -> m.lockById(101));
        assertThrows(IllegalArgumentException.class, () -> m.lockById(0));
    }

    @Test
    void aBackendThatHandsOutAnotherMachinesWordIsRefused() {
        Machine other = Machine.builder().backend(new ReferenceBackend()).build();
        SpinLock ofOther = other.newSpinLock("x");
        BackendSpi lending = new BackendSpi() {
            @Override
            public String name() {
                return "lending";
            }

            @Override
            public int maxCpus() {
                return 1;
            }

            @Override
            public LockWordFactory attach(Machine machine) {
                return (name, cls) -> LockWords.of(ofOther);
            }
        };
        Machine m = Machine.builder().backend(lending).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.newSpinLock("y"));
        assertTrue(e.getMessage().contains("backend lending made the lock word of y for another machine"), e.getMessage());
        LocalTryLock.PerCpu local = m.newLocalTryLock("first");
        assertEquals(1, local.thisCpu(m.cpu(0)).id, "the refused lock took no id");
    }
}
