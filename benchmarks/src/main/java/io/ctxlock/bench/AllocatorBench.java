package io.ctxlock.bench;

import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.KernelModel;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.explore.AllocatorCells;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * kmalloc(64)+kfree pairs on the fast path (each CPU's own cpu slab): 1 CPU (configuration A),
 * 2 CPUs on 2 threads (SMP), and 2 CPUs with every operation serialized by one global
 * ReentrantLock, the baseline the per-CPU locking must beat.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AllocatorBench {
    /** One model per configuration. */
    @State(Scope.Benchmark)
    public static class Model {
        KernelModel one;
        KernelModel two;
        final ReentrantLock global = new ReentrantLock();
        final AtomicInteger nextCpu = new AtomicInteger();

        @Setup
        public void setup() {
            one = KernelModel.boot(AllocatorCells.machine(KernelConfig.A), KernelConfig.A);
            two = KernelModel.boot(AllocatorCells.machine(KernelConfig.SMP), KernelConfig.SMP);
        }
    }

    /** Each benchmark thread is one CPU of each model, and owns a private one-CPU model. */
    @State(Scope.Thread)
    public static class PerCpu {
        Cpu oneCpu;
        Cpu twoCpu;
        KernelModel own;
        Cpu ownCpu;

        @Setup
        public void setup(Model m) {
            int id = m.nextCpu.getAndIncrement() % 2;
            Machine two = m.two.machine();
            twoCpu = two.cpu(id);
            twoCpu.bindCurrentThread();
            if (id == 0) {
                oneCpu = m.one.machine().cpu(0);
                oneCpu.bindCurrentThread();
                m.one.slub().kfree(oneCpu, m.one.slub().kmalloc(oneCpu, 64)); // warm the cpu slab
            }
            m.two.slub().kfree(twoCpu, m.two.slub().kmalloc(twoCpu, 64));
            own = KernelModel.boot(AllocatorCells.machine(KernelConfig.A), KernelConfig.A);
            ownCpu = own.machine().cpu(0);
            ownCpu.bindCurrentThread();
            own.slub().kfree(ownCpu, own.slub().kmalloc(ownCpu, 64));
        }
    }

    @Benchmark
    @Threads(1)
    public int oneCpu(Model m, PerCpu c) {
        int o = m.one.slub().kmalloc(c.oneCpu, 64);
        m.one.slub().kfree(c.oneCpu, o);
        return o;
    }

    @Benchmark
    @Threads(2)
    public int twoCpus(Model m, PerCpu c) {
        int o = m.two.slub().kmalloc(c.twoCpu, 64);
        m.two.slub().kfree(c.twoCpu, o);
        return o;
    }

    /** The scaling ceiling: two threads, each on a machine of its own, sharing nothing. */
    @Benchmark
    @Threads(2)
    public int twoPrivateMachines(PerCpu c) {
        int o = c.own.slub().kmalloc(c.ownCpu, 64);
        c.own.slub().kfree(c.ownCpu, o);
        return o;
    }

    @Benchmark
    @Threads(2)
    public int twoCpusGlobalLock(Model m, PerCpu c) {
        m.global.lock();
        try {
            int o = m.two.slub().kmalloc(c.twoCpu, 64);
            m.two.slub().kfree(c.twoCpu, o);
            return o;
        } finally {
            m.global.unlock();
        }
    }
}
