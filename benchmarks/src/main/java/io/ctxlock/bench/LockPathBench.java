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

/** Uncontended acquire+release of a SpinLock on every backend, one CPU, the benchmark thread. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LockPathBench {
    @Param({"up-stateless", "up-debug", "up-stateful", "up-shared-word", "up-any-context-class", "smp-ttas", "smp-ticket"})
    public String backend;

    Cpu cpu;
    SpinLock lock;

    @Setup
    public void setup() {
        Machine m = Machine.builder().backend(Backends.named(backend)).build();
        cpu = m.cpu(0);
        lock = m.newSpinLock("bench", BenchLocks.lockClass());
        cpu.bindCurrentThread();
    }

    @Benchmark
    public boolean trylockUnlock() {
        boolean ok = lock.tryLock(cpu);
        lock.unlock(cpu);
        return ok;
    }

    @Benchmark
    public void lockUnlock() {
        lock.lock(cpu);
        lock.unlock(cpu);
    }

    @Benchmark
    public void lockIrqSaveRestore() {
        long flags = lock.lockIrqSave(cpu);
        lock.unlockIrqRestore(cpu, flags);
    }
}
