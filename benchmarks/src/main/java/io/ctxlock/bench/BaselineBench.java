package io.ctxlock.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The baselines every lock figure is a ratio against, measured in the same run. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BaselineBench {
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(BaselineBench.class, "word", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    int plain;
    volatile int word;
    final ReentrantLock reentrant = new ReentrantLock();
    final StampedLock stamped = new StampedLock();
    final Object monitor = new Object();
    int guarded;

    @Benchmark
    public void noop() {
        // the cost of a benchmark call
    }

    @Benchmark
    public boolean plainInt() {
        if (plain != 0) {
            return false;
        }
        plain = 1;
        plain = 0;
        return true;
    }

    @Benchmark
    public boolean casSetRelease() {
        boolean ok = WORD.compareAndSet(this, 0, 1);
        WORD.setRelease(this, 0);
        return ok;
    }

    @Benchmark
    public boolean reentrantTryLock() {
        boolean ok = reentrant.tryLock();
        reentrant.unlock();
        return ok;
    }

    @Benchmark
    public long stampedTryWriteLock() {
        long s = stamped.tryWriteLock();
        stamped.unlockWrite(s);
        return s;
    }

    @Benchmark
    public int synchronizedBlock() {
        synchronized (monitor) {
            return ++guarded;
        }
    }
}
