package io.ctxlock.bench;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.smp.SmpAlgorithm;
import io.ctxlock.smp.SmpBackend;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * Two threads (two CPUs) on one lock: acquisitions per microsecond, lock() then unlock(); the bare CAS
 * and ticket locks are the algorithms alone, without the model, as baselines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class ContendedBench {
    /** The shared locks. */
    @State(Scope.Benchmark)
    public static class Shared {
        private static final VarHandle WORD;
        private static final VarHandle TICKETS;

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(Shared.class, "word", int.class);
                TICKETS = MethodHandles.lookup().findVarHandle(Shared.class, "tickets", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Machine ttas;
        Machine ticket;
        SpinLock ttasLock;
        SpinLock ticketLock;
        final ReentrantLock reentrant = new ReentrantLock();
        volatile int word;
        final AtomicInteger nextCpu = new AtomicInteger();
        int counter;

        @Setup
        public void setup() {
            ttas = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TTAS)).build();
            ticket = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TICKET)).build();
            ttasLock = ttas.newSpinLock("contended");
            ticketLock = ticket.newSpinLock("contended");
        }

        void casLock() {
            while (!WORD.compareAndSet(this, 0, 1)) {
                Thread.onSpinWait();
            }
        }

        void casUnlock() {
            WORD.setRelease(this, 0);
        }

        volatile int tickets; // a bare ticket lock: next ticket in the high half, now serving in the low half

        void ticketLock() {
            int mine = (int) TICKETS.getAndAdd(this, 1 << 16) >>> 16;
            while (((int) TICKETS.getAcquire(this) & 0xffff) != mine) {
                Thread.onSpinWait();
            }
        }

        void ticketUnlock() {
            int serving = (int) TICKETS.getOpaque(this) & 0xffff;
            TICKETS.getAndAddRelease(this, serving == 0xffff ? -0xffff : 1); // no carry into the high half
        }
    }

    /** Each benchmark thread is one CPU. */
    @State(Scope.Thread)
    public static class PerCpu {
        Cpu ttasCpu;
        Cpu ticketCpu;

        @Setup
        public void setup(Shared s) {
            int id = s.nextCpu.getAndIncrement() % 2;
            ttasCpu = s.ttas.cpu(id);
            ticketCpu = s.ticket.cpu(id);
            ttasCpu.bindCurrentThread();
            ticketCpu.bindCurrentThread();
        }
    }

    @Benchmark
    public int smpTtas(Shared s, PerCpu c) {
        s.ttasLock.lock(c.ttasCpu);
        int v = ++s.counter;
        s.ttasLock.unlock(c.ttasCpu);
        return v;
    }

    @Benchmark
    public int smpTicket(Shared s, PerCpu c) {
        s.ticketLock.lock(c.ticketCpu);
        int v = ++s.counter;
        s.ticketLock.unlock(c.ticketCpu);
        return v;
    }

    @Benchmark
    public int reentrantLock(Shared s) {
        s.reentrant.lock();
        try {
            return ++s.counter;
        } finally {
            s.reentrant.unlock();
        }
    }

    /** The ticket algorithm alone (xadd, spin on the serving half, release add): FIFO's own hand-off cost. */
    @Benchmark
    public int ticketPair(Shared s) {
        s.ticketLock();
        int v = ++s.counter;
        s.ticketUnlock();
        return v;
    }

    @Benchmark
    public int casPair(Shared s) {
        s.casLock();
        int v = ++s.counter;
        s.casUnlock();
        return v;
    }
}
