package io.ctxlock.bench;

import io.ctxlock.api.Backends;
import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.jvm.ContextLockClass;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap per lock instance, with JOL: the {@link SpinLock} object, which holds the backend's word
 * itself (the backend's operations are shared per machine and not counted), plus what each new lock
 * adds to its machine's tables (the registry's name, class and lock slots, amortized over 1024
 * locks, measured with GraphLayout); lock-jvm's ContextLock (its lock class shared, as a call
 * site's locks share it); against ReentrantLock and StampedLock measured whole (GraphLayout, unheld).
 */
final class Footprint {
    /** Locks per machine for the table figure: a power of two, so that the registry is exactly full. */
    private static final int LOCKS = 1024;

    private Footprint() {}

    /** Bytes per lock, by name, in a stable order; a SpinLock row's name ends with " (SpinLock)". */
    static Map<String, Long> measure() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String b : BenchLocks.ALL) {
            Machine m = Machine.builder().backend(Backends.named(b)).build();
            SpinLock lock = m.newSpinLock("footprint", BenchLocks.lockClass());
            long object = ClassLayout.parseInstance(lock).instanceSize();
            long tables = tablesPerLock(b);
            out.put(b + " (SpinLock " + object + " B; with its registry slots " + (object + tables) + " B)", object);
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

    /** What {@value #LOCKS} locks add to a machine beyond their own objects, per lock. */
    private static long tablesPerLock(String backend) {
        Machine m = Machine.builder().backend(Backends.named(backend)).build();
        LockClass cls = BenchLocks.lockClass();
        m.newSpinLock("first", cls); // the backend's shared operations exist from the first lock on
        long before = GraphLayout.parseInstance(m).totalSize();
        SpinLock[] locks = new SpinLock[LOCKS - 1];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = m.newSpinLock("footprint", cls);
        }
        long after = GraphLayout.parseInstance(m).totalSize();
        return Math.round((after - before) / (double) locks.length) - ClassLayout.parseInstance(locks[0]).instanceSize();
    }

    /** The lock's layout, for RESULTS.md's explanation. */
    static String layouts() {
        Machine m = Machine.builder().backend(Backends.named("smp-ttas")).build();
        return ClassLayout.parseInstance(m.newSpinLock("footprint", BenchLocks.lockClass())).toPrintable();
    }
}
