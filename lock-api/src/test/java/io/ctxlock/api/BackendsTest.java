package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendsTest {
    @Test
    void withoutABackendModuleEveryNameIsAnErrorThatSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.named("smp"));
        assertTrue(e.getMessage().contains("no backend named 'smp'") && e.getMessage().contains("no backend module"),
                e.getMessage());
        assertThrows(NullPointerException.class, () -> Backends.named(null));
    }
}
