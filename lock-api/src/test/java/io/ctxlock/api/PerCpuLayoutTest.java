package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.contract.ReferenceBackend;
import java.lang.reflect.Array;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * Per-CPU isolation as this JVM really lays it out (JOL): nothing a CPU writes on its paths lies
 * within 128 bytes of another object, whatever the allocator or the GC puts next to it. Each
 * per-CPU object pads its own fields on both sides; each per-CPU array leaves 128 bytes unused at
 * both ends. (JDK 15+ may put a subclass's small fields into a gap before a superclass's fields,
 * which is how the first layout failed this.)
 */
class PerCpuLayoutTest {
    private static final int LINE_PAIR = 128;

    @Test
    void everyPerCpuObjectHas128BytesOfItsOwnOnBothSidesOfEveryField() {
        for (Class<?> type : List.of(Cpu.class, HeldLocks.class, IrqFlags.class, InterruptController.class,
                InterruptController.Ring.class, LocalTryLock.class)) {
            assertPaddedOnBothSides(type);
        }
    }

    @Test
    void whatOtherThreadsReadOfACpuLies128BytesFromWhatItsThreadWrites() {
        assertApart(Cpu.class, List.of("driver", "machine", "id", "interrupts"),
                List.of("preemptCount", "irqsEnabled", "probeDepth", "depth", "ownerTag", "pointSeq", "probesMissed",
                        "observer", "tracer", "lockdep", "lastTryFailure", "frames", "held", "irqFlags"));
        assertApart(InterruptController.class, List.of("mailbox", "fullLogged"),
                List.of("pending", "nmi", "probe", "hardirq", "softirq"));
    }

    private static void assertApart(Class<?> type, List<String> shared, List<String> written) {
        ClassLayout layout = ClassLayout.parseClass(type);
        for (String w : written) {
            FieldLayout fw = fieldLayout(layout, w);
            for (String r : shared) {
                FieldLayout fr = fieldLayout(layout, r);
                long gap = fw.offset() > fr.offset() ? fw.offset() - (fr.offset() + fr.size())
                        : fr.offset() - (fw.offset() + fw.size());
                assertTrue(gap >= LINE_PAIR, type.getSimpleName() + "." + w + " written by the CPU lies " + gap
                        + " bytes from " + r + ", which other threads read\n" + layout.toPrintable());
            }
        }
    }

    private static FieldLayout fieldLayout(ClassLayout layout, String name) {
        return layout.fields().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + "\n" + layout.toPrintable()));
    }

    @Test
    void everyPerCpuArrayKeepsItsUsedElements128BytesFromBothEnds() {
        Machine m = Machine.builder().backend(new ReferenceBackend()).build();
        Cpu cpu = m.cpu(0);
        // Fill every array to its last slot: all lock slots, all flag slots, nested frames.
        SpinLock[] locks = new SpinLock[HeldLocks.MAX_LOCK_DEPTH];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = m.newSpinLock("l" + i);
            locks[i].lock(cpu);
        }
        long[] flags = new long[IrqFlags.MAX_SAVED];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = cpu.localIrqSave();
        }
        // Two hardirqs pend in the hardirq ring while interrupts are off (taken at the point, not run).
        cpu.raise(Interrupt.hardirq("eth0", c -> { }));
        cpu.raise(Interrupt.hardirq("eth1", c -> { }));
        cpu.interruptPoint("test");
        cpu.run(ContextKind.NMI, "perf", PerCpuLayoutTest::assertUsedInsideThePadding);
        for (int i = flags.length - 1; i >= 0; i--) {
            cpu.localIrqRestore(flags[i]);
        }
        for (int i = locks.length - 1; i >= 0; i--) {
            locks[i].unlock(cpu);
        }
    }

    private static void assertUsedInsideThePadding(Cpu cpu) {
        assertPaddedArray(cpu.held.ids, PerCpuPadding.PAD_4, HeldLocks.MAX_LOCK_DEPTH, true);
        assertPaddedArray(cpu.held.depths, PerCpuPadding.PAD_4, HeldLocks.MAX_LOCK_DEPTH, false);
        assertPaddedArray(cpu.irqFlags.tokens, PerCpuPadding.PAD_8, IrqFlags.MAX_SAVED, true);
        assertPaddedArray(cpu.irqFlags.owners, PerCpuPadding.PAD_4, IrqFlags.MAX_SAVED, false);
        assertPaddedArray(cpu.irqFlags.depths, PerCpuPadding.PAD_4, IrqFlags.MAX_SAVED, false);
        InterruptController.Ring ring = cpu.interrupts.hardirq;
        assertEquals(2, ring.size, "the two hardirqs pend");
        assertPaddedArray(ring.items, PerCpuPadding.PAD_4, ring.capacity, false);
        assertTrue(ring.items[PerCpuPadding.PAD_4] != null && ring.items[PerCpuPadding.PAD_4 + 1] != null,
                "ring slot i is element pad + i");
        for (InterruptController.Ring r : List.of(cpu.interrupts.nmi, cpu.interrupts.probe, cpu.interrupts.softirq)) {
            assertPaddedArray(r.items, PerCpuPadding.PAD_4, r.capacity, false);
        }
        for (String field : List.of("kinds", "names", "savedPreempt", "savedIrqs")) {
            Object array = field(cpu.frames, field);
            int pad = array instanceof boolean[] ? PerCpuPadding.PAD_1 : PerCpuPadding.PAD_4;
            assertPaddedArray(array, pad, ContextFrames.MAX_FRAMES, false);
            if (!field.equals("savedIrqs")) { // frame 1, the NMI, entered with 48 locks held
                Object frame1 = Array.get(array, pad + 1);
                assertTrue(frame1 != null && !frame1.equals(0), field + ": frame 1 is element pad + 1, got " + frame1);
            }
        }
    }

    /** Elements [pad, pad + used) hold the data, 128 bytes clear of both ends; the pads are untouched. */
    private static void assertPaddedArray(Object array, int pad, int used, boolean lastUsedIsWritten) {
        ClassLayout layout = ClassLayout.parseInstance(array);
        int length = Array.getLength(array);
        long scale = (layout.instanceSize() - layout.headerSize()) / Math.max(1, length);
        assertEquals(used + 2 * pad, length, "padded length");
        assertTrue(layout.headerSize() + pad * scale >= LINE_PAIR && pad * scale >= LINE_PAIR,
                "128 bytes before and after the used elements\n" + layout.toPrintable());
        for (int i = 0; i < length; i++) {
            if (i < pad || i >= pad + used) {
                Object e = Array.get(array, i);
                assertTrue(e == null || e.equals(0) || e.equals(0L) || e.equals(false),
                        "padding element " + i + " written: " + e);
            }
        }
        if (lastUsedIsWritten) {
            assertNotEquals(0L, ((Number) Array.get(array, pad + used - 1)).longValue(), "last slot in use");
        }
    }

    private static void assertPaddedOnBothSides(Class<?> type) {
        ClassLayout layout = ClassLayout.parseClass(type);
        List<String> exposed = layout.fields().stream().filter(f -> !isPadding(f))
                .filter(f -> f.offset() < LINE_PAIR || layout.instanceSize() - (f.offset() + f.size()) < LINE_PAIR)
                .map(f -> f.name() + "@" + f.offset()).collect(Collectors.toList());
        assertTrue(exposed.isEmpty(), type.getSimpleName() + " fields within 128 bytes of an end of the object: "
                + exposed + "\n" + layout.toPrintable());
        assertTrue(layout.fields().stream().anyMatch(f -> !isPadding(f)), type + " has fields");
    }

    private static boolean isPadding(FieldLayout f) {
        return f.name().matches("[pqh]\\d{3}");
    }

    private static Object field(Object o, String name) {
        try {
            java.lang.reflect.Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSpinLockIsOneObjectOf24Bytes() {
        ClassLayout layout = ClassLayout.parseClass(SpinLock.class);
        // With compressed oops (heaps under 32 GB, the default here); 32 bytes with 8-byte references.
        int expected = org.openjdk.jol.vm.VM.current().sizeOfField("java.lang.Object") == 4 ? 24 : 32;
        assertTrue(layout.instanceSize() <= expected, layout.toPrintable());
    }
}
