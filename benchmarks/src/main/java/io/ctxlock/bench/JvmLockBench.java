package io.ctxlock.bench;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.ContextLockClass;
import io.ctxlock.jvm.LockResult;
import io.ctxlock.jvm.NestedPolicy;
import io.ctxlock.jvm.Owner;
import io.ctxlock.jvm.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * lock-jvm's ContextLock uncontended, explicit owner and implicit (thread-local) form, the nested
 * and deferred paths, and an owner's context enter+exit, with the plain-int baseline of the last;
 * the ReentrantLock baseline is BaselineBench's, measured in the same suite run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class JvmLockBench {
    final Owner owner = Owner.create("bench");
    final ContextLock lock = ContextLockClass.of("bench").newLock();
    final ContextLock deferring = new ContextLock("deferring", NestedPolicy.DEFER);
    final Owner holder = Owner.create("holder");
    final ContextLock held = new ContextLock("held");
    int plain;
    final Runnable task = () -> plain++;

    @Setup
    public void holdTheNestedCasesLock() {
        held.lock(holder);
    }

    @TearDown
    public void release() {
        held.unlock(holder);
    }

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
    public int enterExit() {
        try (Scope s = owner.enter(ContextKind.CALLBACK, "cb")) {
            return s.depth();
        }
    }

    /** The nested path: a callback's trylock of the lock its caller holds fails NESTED. */
    @Benchmark
    public LockResult nestedTryLockFails() {
        try (Scope s = holder.enter(ContextKind.CALLBACK, "cb")) {
            return held.tryLockDetailed(s.owner());
        }
    }

    /** DEFER: lock, a callback defers a task, the unlock runs it. */
    @Benchmark
    public int deferAndDrain() {
        deferring.lock(owner);
        try (Scope s = owner.enter(ContextKind.CALLBACK, "onNext")) {
            deferring.runOrDefer(s.owner(), task);
        }
        deferring.unlock(owner);
        return plain;
    }

    @Benchmark
    public int plainIncDec() {
        int d = ++plain;
        plain--;
        return d;
    }
}
