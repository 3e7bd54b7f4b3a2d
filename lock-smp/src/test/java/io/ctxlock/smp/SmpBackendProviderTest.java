package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ctxlock.api.Backends;
import org.junit.jupiter.api.Test;

class SmpBackendProviderTest {
    @Test
    void eachNameBuildsItsAlgorithm() {
        assertEquals(SmpBackend.create().algorithm(), ((SmpBackend) Backends.named("smp-ttas")).algorithm());
        assertEquals(SmpAlgorithm.TTAS, ((SmpBackend) Backends.named("smp-ttas")).algorithm());
        assertEquals(SmpAlgorithm.TICKET, ((SmpBackend) Backends.named("smp-ticket")).algorithm());
        assertNull(new SmpBackendProvider().backend("up-stateless"));
        assertNull(new SmpBackendProvider().backend("smp"), "one name per backend");
    }
}
