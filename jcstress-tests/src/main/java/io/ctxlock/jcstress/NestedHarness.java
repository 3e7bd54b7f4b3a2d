package io.ctxlock.jcstress;

import io.ctxlock.api.Backend;
import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;

/**
 * The state of one nested-trylock trial, shared by the NestedTryLock tests: CPU0 runs a task
 * that takes the lock (interrupts enabled, as the pcp fast path does), passes two interrupt points
 * inside its section, releases and passes one more; the other actor raises an interrupt on CPU0
 * whose handler trylocks the same lock. The arbiter delivers whatever is still pending and reads
 * the result:
 *
 * <ul>
 * <li>{@link #FAILED_NESTED}: the handler ran inside the section; its trylock failed, reason nested.
 * <li>{@link #ACQUIRED_FREE}: the handler ran outside the section and got the lock.
 * <li>{@link #ACQUIRED_WHILE_HELD}: the handler got the lock while the task held it: the bug.
 * <li>{@link #WRONG_REASON}: it failed for any other reason.
 * </ul>
 */
final class NestedHarness {
    static final int FAILED_NESTED = 1;
    static final int ACQUIRED_FREE = 2;
    static final int ACQUIRED_WHILE_HELD = 3;
    static final int WRONG_REASON = 4;

    private final Cpu cpu0;
    private final SpinLock lock;
    private final LocalTryLock local;
    private final Interrupt interrupt;
    private boolean taskInside; // plain; CPU0's thread only (the task and the handler it runs)
    private int result; //         plain; written by the handler on CPU0's thread, read by the arbiter

    private NestedHarness(Machine m, LockClass cls, boolean localLock, ContextKind kind) {
        this.cpu0 = m.cpu(0);
        this.lock = localLock ? null : m.newSpinLock("pcp->lock", cls);
        this.local = localLock ? m.newLocalTryLock("cpu_slab").thisCpu(cpu0) : null;
        this.interrupt = Interrupt.of(kind, "nested", this::handler);
    }

    static NestedHarness spin(Backend backend, int cpus, LockClass cls, ContextKind kind) {
        return new NestedHarness(Machine.builder().backend(backend).cpus(cpus).mailboxCapacity(4).build(), cls, false, kind);
    }

    static NestedHarness local(Backend backend, ContextKind kind) {
        return new NestedHarness(Machine.builder().backend(backend).mailboxCapacity(4).build(), null, true, kind);
    }

    /** Actor 1, CPU0's thread. */
    void task() {
        if (lock != null) {
            lock.lock(cpu0);
        } else {
            local.lock(cpu0);
        }
        taskInside = true;
        cpu0.interruptPoint("section:1");
        cpu0.interruptPoint("section:2");
        taskInside = false;
        if (lock != null) {
            lock.unlock(cpu0);
        } else {
            local.unlock(cpu0);
        }
        cpu0.interruptPoint("after");
        cpu0.unbindThread(); // the arbiter drives CPU0 next
    }

    /** Actor 2, any thread. */
    void raise() {
        cpu0.raise(interrupt);
    }

    /** Arbiter: runs a still-pending interrupt, then reports. */
    int arbiter() {
        cpu0.interruptPoint("arbiter");
        return result;
    }

    private void handler(Cpu c) {
        TryResult r = lock != null ? lock.tryLockDetailed(c) : local.tryLockDetailed(c);
        if (r.acquired()) {
            result = taskInside ? ACQUIRED_WHILE_HELD : ACQUIRED_FREE;
            if (lock != null) {
                lock.unlock(c);
            } else {
                local.unlock(c);
            }
        } else {
            result = r == TryResult.NESTED && taskInside ? FAILED_NESTED : WRONG_REASON;
        }
    }
}
