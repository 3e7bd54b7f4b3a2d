package io.ctxlock.bench;

import io.ctxlock.api.Backends;
import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.jvm.ContextLockClass;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap per lock instance, with JOL: the {@link SpinLock} handle plus its backend word (what each
 * new lock costs; the name, class and per-machine backend state are shared and not counted), and
 * lock-jvm's ContextLock (its lock class shared, as a call site's locks share it), against
 * ReentrantLock and StampedLock measured whole (GraphLayout, unheld).
 */
final class Footprint {
    private Footprint() {}

    /** Bytes per lock, by name, in a stable order. */
    static Map<String, Long> measure() throws ReflectiveOperationException {
        Map<String, Long> out = new LinkedHashMap<>();
        Field word = SpinLock.class.getDeclaredField("word");
        word.setAccessible(true);
        for (String b : BenchLocks.ALL) {
            Machine m = Machine.builder().backend(Backends.named(b)).build();
            SpinLock lock = m.newSpinLock("footprint", BenchLocks.lockClass());
            long handle = ClassLayout.parseInstance(lock).instanceSize();
            long w = ClassLayout.parseInstance(word.get(lock)).instanceSize();
            out.put(b + " (handle " + handle + " + word " + w + ")", handle + w);
        }
        Machine up = Machine.builder().backend(UpBackend.create(UpMode.STATEFUL)).build();
        LocalTryLock local = up.newLocalTryLock("footprint").thisCpu(up.cpu(0));
        out.put("LocalTryLock (per CPU)", ClassLayout.parseInstance(local).instanceSize());
        out.put(JvmResults.FOOTPRINT,
                ClassLayout.parseInstance(ContextLockClass.of("footprint").newLock()).instanceSize());
        out.put("ReentrantLock (baseline)", GraphLayout.parseInstance(new ReentrantLock()).totalSize());
        out.put("StampedLock (baseline)", GraphLayout.parseInstance(new StampedLock()).totalSize());
        return out;
    }

    /** The handle and word layouts, for RESULTS.md's explanation. */
    static String layouts() throws ReflectiveOperationException {
        Field word = SpinLock.class.getDeclaredField("word");
        word.setAccessible(true);
        Machine m = Machine.builder().backend(Backends.named("smp-ttas")).build();
        SpinLock lock = m.newSpinLock("footprint", BenchLocks.lockClass());
        return ClassLayout.parseInstance(lock).toPrintable() + "\n" + ClassLayout.parseInstance(word.get(lock)).toPrintable();
    }
}
