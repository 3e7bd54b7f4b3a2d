package io.ctxlock.bench;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Handler;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LocalTryLock;
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

/** Context entry and exit, interrupt delivery, an idle interrupt point, and local_trylock_t. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ContextBench {
    private static final Handler EMPTY = c -> { };

    Cpu cpu;
    Interrupt nmi;
    LocalTryLock local;

    @Setup
    public void setup() {
        Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATEFUL)).build();
        cpu = m.cpu(0);
        nmi = Interrupt.nmi("bench", EMPTY);
        local = m.newLocalTryLock("bench_cpu_slab").thisCpu(cpu);
        cpu.bindCurrentThread();
    }

    @Benchmark
    public void runNmi() {
        cpu.run(ContextKind.NMI, "bench", EMPTY);
    }

    @Benchmark
    public void raiseAndDeliver() {
        cpu.raise(nmi);
        cpu.interruptPoint("bench");
    }

    @Benchmark
    public void idlePoint() {
        cpu.interruptPoint("bench");
    }

    @Benchmark
    public boolean localTrylockUnlock() {
        boolean ok = local.tryLock(cpu);
        local.unlock(cpu);
        return ok;
    }

    @Benchmark
    public void localLockIrqSaveRestore() {
        long f = local.lockIrqSave(cpu);
        local.unlockIrqRestore(cpu, f);
    }
}
