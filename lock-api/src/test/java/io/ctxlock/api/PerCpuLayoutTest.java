package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The layout PerCpuPadding's javadoc claims, as this JVM really lays it out (JDK 15+ may put a
 * subclass's small fields into the gap after the object header, before a superclass's longs).
 */
class PerCpuLayoutTest {
    private static final int PAD = 128;

    @Test
    void everyFieldACpuWritesLiesAfterTheLeadingPadding() {
        assertAfterPadding(Cpu.class);
    }

    @Test
    void aLocalTryLocksStateLiesBetweenPaddingOnBothSides() {
        assertAfterPadding(LocalTryLock.class);
        ClassLayout layout = ClassLayout.parseClass(LocalTryLock.class);
        long state = offset(layout, "ownerDepth");
        long lastOwn = layout.fields().stream().filter(f -> !isPadding(f) && f.offset() > state)
                .mapToLong(FieldLayout::offset).min().orElse(layout.instanceSize());
        assertTrue(lastOwn - state >= PAD || layout.instanceSize() - state - 4 >= PAD,
                "ownerDepth at " + state + ": 128 bytes of padding after it\n" + layout.toPrintable());
    }

    private static void assertAfterPadding(Class<?> type) {
        ClassLayout layout = ClassLayout.parseClass(type);
        long padEnd = layout.fields().stream().filter(PerCpuLayoutTest::isPadding)
                .mapToLong(f -> f.offset() + f.size()).max().orElseThrow();
        long padStart = layout.fields().stream().filter(f -> f.name().matches("p\\d+"))
                .mapToLong(FieldLayout::offset).min().orElseThrow();
        List<String> before = layout.fields().stream()
                .filter(f -> !isPadding(f) && f.offset() < padStart + PAD)
                .map(f -> f.name() + "@" + f.offset()).collect(Collectors.toList());
        assertTrue(before.isEmpty(), type.getSimpleName() + " fields inside or before the leading padding: " + before
                + " (padding ends at " + padEnd + ")\n" + layout.toPrintable());
    }

    private static boolean isPadding(FieldLayout f) {
        return f.name().matches("p\\d+|q\\d+|gap\\w*");
    }

    private static long offset(ClassLayout layout, String name) {
        return layout.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().offset();
    }
}
