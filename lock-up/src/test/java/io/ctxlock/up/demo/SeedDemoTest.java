package io.ctxlock.up.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The seed demo (lock-up's {@code SeedDemo}): the seed at lock level, on every UP mode. */
class SeedDemoTest {
    @Test
    void statelessAndOrdinaryLocksCorruptAndEveryFixFailsCleanly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int corrupt = SeedDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(6, corrupt, out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("UP/STATELESS") && l.contains("NMI") && l.contains("ACQUIRED")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("UP/DEBUG") && l.contains("spinlock trylock failure on UP")), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("UP/STATEFUL") && l.contains("failed: nested")).count(), out);
    }
}
