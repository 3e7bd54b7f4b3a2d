package io.ctxlock.bench;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.ContextLockClass;
import io.ctxlock.jvm.LockResult;
import io.ctxlock.jvm.Owner;
import io.ctxlock.jvm.Scope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;

/**
 * lock-jvm's ContextLock uncontended, explicit owner and implicit (thread-local) form, and an
 * owner's context enter+exit, with their baselines (ReentrantLock, a plain int) in the same class.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class JvmLockBench {
    final Owner owner = Owner.create("bench");
    final ContextLock lock = ContextLockClass.of("bench").newLock();
    final ReentrantLock reentrant = new ReentrantLock();
    int plain;

    @Benchmark
    public LockResult explicitTryLockUnlock() {
        LockResult r = lock.tryLockDetailed(owner);
        lock.unlock(owner);
        return r;
    }

    @Benchmark
    public boolean implicitTryLockUnlock() {
        boolean ok = lock.tryLock();
        lock.unlock();
        return ok;
    }

    @Benchmark
    public boolean reentrantTryLockUnlock() {
        boolean ok = reentrant.tryLock();
        reentrant.unlock();
        return ok;
    }

    @Benchmark
    public int enterExit() {
        try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
            return s.depth();
        }
    }

    @Benchmark
    public int plainIncDec() {
        int d = ++plain;
        plain--;
        return d;
    }
}
