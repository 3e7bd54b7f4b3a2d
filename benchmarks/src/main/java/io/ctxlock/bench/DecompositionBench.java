package io.ctxlock.bench;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pieces a lock path is made of, measured alone, to explain where a lock's nanoseconds go:
 * the CPU-level bookkeeping a spinlock does around its word (thread check and preempt_count, the
 * interrupt flag token) without any lock word or held-lock stack.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DecompositionBench {
    Cpu cpu;

    @Setup
    public void setup() {
        cpu = Machine.builder().backend(UpBackend.create(UpMode.STATEFUL)).build().cpu(0);
        cpu.bindCurrentThread();
    }

    @Benchmark
    public void preemptDisableEnable() {
        cpu.preemptDisable();
        cpu.preemptEnable();
    }

    @Benchmark
    public void localIrqSaveRestore() {
        long f = cpu.localIrqSave();
        cpu.localIrqRestore(f);
    }
}
