package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * Cross-CPU function calls, the kernel's {@code smp_call_function_single()} ({@code kernel/smp.c}):
 * the function runs on the target CPU as an IPI handler (hardirq context, interrupts disabled),
 * delivered through the target's mailbox at its next interrupt point with interrupts enabled; the
 * caller waits for the result.
 *
 * <p>While it waits, the calling CPU passes interrupt points ({@code smp_call_function_single:wait})
 * and so keeps answering IPIs sent to it, which is what stops two CPUs that call each other from
 * deadlocking. A call to the caller's own CPU runs at once with interrupts disabled, as the kernel
 * does. As in the kernel, the caller must have interrupts enabled (a wait with them off could
 * deadlock against a CPU calling it). A call not answered within the timeout writes a CSD-lock
 * report to the kernel log and throws {@link LockupException}; the queued call may still run later
 * on the target, and its result is then dropped. On a stepped machine ({@link io.ctxlock.api.Stepper})
 * the wait lends the host's thread to the other CPUs at each iteration and the timeout is not
 * used: the stepper decides the lockup.
 *
 * <p>Allocates (a holder and the IPI per call): this is not a lock fast path.
 */
public final class SmpCalls {
    private SmpCalls() {}

    /** Runs {@code fn} on CPU {@code target} and returns its result; {@code caller} is the CPU waiting. */
    public static <T> T callFunctionSingle(Cpu caller, int target, Function<Cpu, T> fn, Duration timeout) {
        Machine m = caller.machine();
        if (caller.irqsDisabled()) {
            String what = "smp_call_function_single with interrupts disabled on CPU#" + caller.id()
                    + ", " + caller.contextName();
            m.kernelLog().printk(caller, "WARNING: " + what);
            throw new IllegalStateException(what);
        }
        if (target == caller.id()) {
            long flags = caller.localIrqSave();
            try {
                return fn.apply(caller);
            } finally {
                caller.localIrqRestore(flags);
            }
        }
        Cpu dest = m.cpu(target);
        AtomicReference<Object> result = new AtomicReference<>(PENDING);
        dest.raise(Interrupt.hardirq("IPI:call_function_single", c -> {
            try {
                result.set(new Outcome(fn.apply(c), null));
            } catch (RuntimeException | Error e) {
                result.set(new Outcome(null, e));
            }
        }));
        return await(caller, target, result, timeout.toNanos());
    }

    private static final Object PENDING = new Object();

    private record Outcome(Object value, Throwable error) {}

    @SuppressWarnings("unchecked")
    private static <T> T await(Cpu caller, int target, AtomicReference<Object> result, long timeoutNanos) {
        io.ctxlock.api.Stepper stepper = caller.machine().stepper();
        if (stepper != null) {
            return awaitStepped(caller, target, result, stepper);
        }
        BackoffIdleStrategy idle = new BackoffIdleStrategy(64, 8, 1_000, 100_000);
        long start = System.nanoTime();
        Object r;
        while ((r = result.get()) == PENDING) {
            caller.interruptPoint("smp_call_function_single:wait");
            idle.idle();
            long waited = System.nanoTime() - start;
            if (waited > timeoutNanos) {
                String report = "csd: Detected non-responsive CSD lock on CPU#" + caller.id() + ", waiting "
                        + waited + " ns for CPU#" + target + " (smp_call_function_single), target context: "
                        + caller.machine().cpu(target).contextStack();
                caller.machine().kernelLog().printk(caller, report);
                throw new LockupException(report, caller.id(), "-", target);
            }
        }
        return unwrap(r);
    }

    /** A stepped machine's wait: the target runs its steps here; the lockup is the stepper's to decide. */
    private static <T> T awaitStepped(Cpu caller, int target, AtomicReference<Object> result,
            io.ctxlock.api.Stepper stepper) {
        stepper.waitBegin(caller);
        while (result.get() == PENDING) {
            caller.interruptPoint("smp_call_function_single:wait");
            if (result.get() != PENDING) {
                break;
            }
            stepper.waitIteration(caller, () -> result.get() != PENDING, "smp_call_function_single to CPU#" + target,
                    target);
        }
        stepper.waitEnd(caller);
        return unwrap(result.get());
    }

    @SuppressWarnings("unchecked")
    private static <T> T unwrap(Object r) {
        Outcome o = (Outcome) r;
        if (o.error() instanceof RuntimeException) {
            throw (RuntimeException) o.error();
        }
        if (o.error() != null) {
            throw (Error) o.error();
        }
        return (T) o.value();
    }
}
