package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Backends;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpBackendProviderTest {
    @ParameterizedTest
    @CsvSource({"up-stateless, STATELESS", "up-debug, DEBUG", "up-stateful, STATEFUL",
        "up-any-context-class, ANY_CONTEXT_CLASS", "up-shared-word, SHARED_WORD"})
    void eachNameBuildsItsMode(String spec, UpMode mode) {
        assertEquals(mode, ((UpBackend) Backends.named(spec)).mode());
    }

    @Test
    void sharedWordWithClassesSharesOnlyThoseClasses() {
        Machine m = Machine.builder().backend(Backends.named("up-shared-word:pcp->lock")).build();
        SpinLock a = m.newSpinLock("pcp0", LockClass.of("pcp->lock"));
        SpinLock b = m.newSpinLock("pcp1", LockClass.of("pcp->lock"));
        SpinLock other = m.newSpinLock("zone", LockClass.of("zone->lock"));
        a.lock(m.cpu(0));
        assertTrue(b.isLocked(), "the pcp class shares one word");
        assertFalse(other.isLocked());
        a.unlock(m.cpu(0));
        assertEquals("UP/SHARED_WORD[pcp->lock]", Backends.named("up-shared-word:pcp->lock").name());
    }

    @Test
    void anUnknownNameIsNullHereAndAnErrorListingTheKnownOnes() {
        assertNull(new UpBackendProvider().backend("up-shared-word:"));
        assertNull(new UpBackendProvider().backend("UP_STATELESS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.named("up-nonsense"));
        assertTrue(e.getMessage().contains("'up-nonsense'") && e.getMessage().contains("up-any-context-class"),
                e.getMessage());
    }
}
