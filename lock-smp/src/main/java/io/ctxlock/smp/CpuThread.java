package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A Java thread that drives one CPU: binds to it, runs the body, unbinds, and keeps what the body
 * threw for {@link #join()} to rethrow. The caller starts it explicitly; the model never starts
 * threads of its own. A body that throws leaves its CPU bound to the ended thread (the machine is
 * in an error state; build a fresh one).
 *
 * <pre>{@code
 * CpuThread t0 = CpuThread.start(m.cpu(0), cpu -> { lock.lock(cpu); ...; lock.unlock(cpu); });
 * CpuThread t1 = CpuThread.start(m.cpu(1), cpu -> ...);
 * t0.join(); t1.join();   // rethrows an exception of either body
 * }</pre>
 */
public final class CpuThread {
    private final Thread thread;
    private volatile Throwable failure; // written by the CPU thread before it ends; read after join

    private CpuThread(Cpu cpu, Consumer<Cpu> body) {
        Objects.requireNonNull(body, "body");
        this.thread = new Thread(() -> {
            try {
                cpu.bindCurrentThread();
                body.accept(cpu);
                cpu.unbindThread();
            } catch (Throwable t) {
                failure = t;
            }
        }, "CPU#" + cpu.id());
        thread.setDaemon(true);
    }

    /** Starts a thread that drives {@code cpu} through {@code body}. */
    public static CpuThread start(Cpu cpu, Consumer<Cpu> body) {
        CpuThread t = new CpuThread(cpu, body);
        t.thread.start();
        return t;
    }

    /** Waits for the body to end and rethrows what it threw. */
    public void join() throws InterruptedException {
        thread.join();
        Throwable t = failure;
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
    }

    /** What the body threw, or null; valid after {@link #join()}. */
    public Throwable failure() {
        return failure;
    }

    public Thread thread() {
        return thread;
    }
}
