package io.ctxlock.bench;

import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.Owner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** Two threads on one lock-jvm ContextLock, lock() then unlock(); the baseline is ContendedBench's ReentrantLock. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class JvmContendedBench {
    /** The shared locks. */
    @State(Scope.Benchmark)
    public static class Shared {
        final ContextLock lock = new ContextLock("contended");
        int counter;
    }

    /** Each thread its own owner (the explicit form). */
    @State(Scope.Thread)
    public static class PerThread {
        final Owner owner = Owner.create(Thread.currentThread().getName());
    }

    @Benchmark
    public int contextLock(Shared s, PerThread t) {
        s.lock.lock(t.owner);
        try {
            return ++s.counter;
        } finally {
            s.lock.unlock(t.owner);
        }
    }

}
