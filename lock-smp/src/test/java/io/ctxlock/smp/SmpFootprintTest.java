package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.contract.LockWords;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * What a lock and a spinning CPU cost in memory: no object per lock beyond the 24-byte SpinLock
 * (every lock of an algorithm shares the machine's word operations), and each CPU's spin state
 * padded on both sides, as this JVM lays it out (JOL).
 */
class SmpFootprintTest {
    @Test
    void everyLockOfAMachineSharesItsAlgorithmsWordOperations() {
        Machine m = Machine.builder().cpus(2)
                .backend(SmpBackend.builder().algorithm("fifo", SmpAlgorithm.TICKET).build()).build();
        SpinLock a = m.newSpinLock("a");
        SpinLock b = m.newSpinLock("b");
        SpinLock f1 = m.newSpinLock("f1", LockClass.of("fifo"));
        SpinLock f2 = m.newSpinLock("f2", LockClass.of("fifo"));
        assertSame(LockWords.of(a), LockWords.of(b), "TTAS locks share one TtasWord");
        assertSame(LockWords.of(f1), LockWords.of(f2), "ticket locks share one TicketWord");
        assertNotSame(LockWords.of(a), LockWords.of(f1));
        assertTrue(LockWords.of(a) instanceof TtasWord && LockWords.of(f1) instanceof TicketWord);
        Machine other = Machine.builder().cpus(2).backend(SmpBackend.create()).build();
        assertNotSame(LockWords.of(a), LockWords.of(other.newSpinLock("a")), "per machine, never shared between machines");
    }

    @Test
    void aCpusSpinStateHas128BytesOfItsOwnOnBothSides() {
        ClassLayout layout = ClassLayout.parseClass(SpinState.class);
        List<String> exposed = layout.fields().stream().filter(f -> !f.name().matches("[pq]\\d{3}"))
                .filter(f -> f.offset() < 128 || layout.instanceSize() - (f.offset() + f.size()) < 128)
                .map(FieldLayout::name).collect(Collectors.toList());
        assertTrue(exposed.isEmpty(), "fields within 128 bytes of an end: " + exposed + "\n" + layout.toPrintable());
        SpinState s = new SpinState();
        assertArrayPadded(s.pauses, SpinState.P, SpinState.DEPTHS);
        assertArrayPadded(s.parkedSince, SpinState.PL, SpinState.DEPTHS);
    }

    /** The used slots [pad, pad + used) lie 128 bytes from both ends of the array object. */
    private static void assertArrayPadded(Object array, int pad, int used) {
        ClassLayout layout = ClassLayout.parseInstance(array);
        int length = java.lang.reflect.Array.getLength(array);
        long scale = (layout.instanceSize() - layout.headerSize()) / length;
        assertTrue(length == used + 2 * pad && layout.headerSize() + pad * scale >= 128 && pad * scale >= 128,
                "length " + length + ", pad " + pad + " x " + scale + " bytes\n" + layout.toPrintable());
    }
}
