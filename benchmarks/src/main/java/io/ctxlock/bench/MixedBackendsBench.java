package io.ctxlock.bench;

import io.ctxlock.api.Backends;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LockPathBench#trylockUnlock} in a JVM that has run every other backend first, through the
 * same SpinLock code: the explorer's and jcstress's reality, where the backend call sites of the
 * lock paths have seen every {@code LockWord} class (megamorphic), which a fork per {@code @Param}
 * never shows. RESULTS.md divides each figure by the same backend's per-fork one of the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MixedBackendsBench {
    /** Iterations per other backend before the measured one: past C1's profiling and C2's threshold. */
    static final int WARM_ROUNDS = 200_000;

    @Param({"up-stateless", "up-debug", "up-stateful", "up-shared-word", "up-any-context-class", "smp-ttas", "smp-ticket"})
    public String backend;

    Cpu cpu;
    SpinLock lock;

    @Setup
    public void setup() {
        for (String other : BenchLocks.ALL) {
            if (!other.equals(backend)) {
                warm(other);
            }
        }
        Machine m = Machine.builder().backend(Backends.named(backend)).build();
        cpu = m.cpu(0);
        lock = m.newSpinLock("bench", BenchLocks.lockClass());
        cpu.bindCurrentThread();
    }

    /** Every lock path of one backend, on this thread, then the CPU handed back. */
    private static void warm(String backend) {
        Machine m = Machine.builder().backend(Backends.named(backend)).build();
        Cpu c = m.cpu(0);
        SpinLock l = m.newSpinLock("warm", BenchLocks.lockClass());
        c.bindCurrentThread();
        for (int i = 0; i < WARM_ROUNDS; i++) {
            if (l.tryLock(c)) {
                l.unlock(c);
            }
            l.lock(c);
            l.unlock(c);
            l.unlockIrqRestore(c, l.lockIrqSave(c));
        }
        c.unbindThread();
    }

    @Benchmark
    public boolean trylockUnlock() {
        boolean ok = lock.tryLock(cpu);
        lock.unlock(cpu);
        return ok;
    }
}
