package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.explore.example.SmpSimulation;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The deterministic two-CPU mode as a host uses it: the example discrete-event host drives a
 * stepped SMP machine running the allocator model for 10,000 events from the test's thread; the
 * same seed gives the same Perfetto trace, another seed another one, and every callback of the
 * model (locks, contexts, points, steps, spins) ran on the test's thread.
 */
class SmpSimulationTest {
    @Test
    void oneSeedGivesOneTraceAndOnlyTheHostThreadRunsTheModel() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SmpSimulation.Result a = SmpSimulation.run(1, 10_000, 100);
        SmpSimulation.Result b = SmpSimulation.run(1, 10_000, 100);
        SmpSimulation.Result c = SmpSimulation.run(2, 10_000, 100);
        assertEquals(a.trace(), b.trace());
        assertEquals(a.summary(), b.summary());
        assertNotEquals(a.trace(), c.trace());
        String host = Thread.currentThread().getName();
        assertEquals(Set.of(host), a.threads());
        assertEquals(Set.of(host), c.threads());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(before.contains(t) || !t.getName().startsWith("CPU#"), "a CPU thread was started: " + t);
        }
        assertTrue(a.summary().startsWith("seed 1: ran 10000 events"), a.summary());
        assertTrue(a.summary().contains("allocator invariants hold"), a.summary());
        assertTrue(a.summary().contains("other CPU"), "the CPUs met each other's locks: " + a.summary());
        assertTrue(a.trace().contains("\"name\":\"NMI(perf)\",\"ph\":\"B\""), "NMIs are in the trace");
        assertTrue(a.trace().contains("\"name\":\"hardirq(timer)\",\"ph\":\"B\""), "timer hardirqs are in the trace");
        assertTrue(a.trace().contains("\"nested\":true"), "a spinning CPU lent the thread to the other");
    }

    @Test
    void theTraceNeverGoesBackInTimeAndDoesNotDependOnTheLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        String other;
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-EG"));
            other = SmpSimulation.run(3, 2_000, 50).trace();
        } finally {
            java.util.Locale.setDefault(before);
        }
        String trace = SmpSimulation.run(3, 2_000, 50).trace();
        assertEquals(trace, other);
        java.util.regex.Matcher ts = java.util.regex.Pattern.compile("\"ts\":(\\d+)\\.(\\d{3}),").matcher(trace);
        long last = -1;
        int n = 0;
        while (ts.find()) {
            long t = Long.parseLong(ts.group(1)) * 1000 + Long.parseLong(ts.group(2));
            assertTrue(t > last, "timestamp " + t + " after " + last);
            last = t;
            n++;
        }
        assertTrue(n > 1_000, n + " timestamps");
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SmpSimulation.run(1, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> SmpSimulation.run(1, 10, 0));
    }
}
