package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.Stepper;
import io.ctxlock.api.spi.OwnerTag;
import io.ctxlock.api.spi.Splat;
import java.util.concurrent.locks.LockSupport;

/**
 * What a CPU does between two looks at a lock word it waits for: take the interrupts it may take,
 * back off, and give up with a soft-lockup report past the machine's bound. One per machine, with
 * one padded {@link SpinState} per CPU (touched only by its CPU's thread), never one per lock.
 *
 * <p><b>Backoff.</b> {@value #SPINS} spins ({@code Thread.onSpinWait()}), then {@value #YIELDS}
 * yields (which give the core to a descheduled holder when model CPUs outnumber cores), then parks
 * of 1 us doubling up to 100 us. The busy phase covers a model lock's hold and hand-off: with 64
 * spins and 8 yields, two CPUs on a contended ticket lock fell into a convoy in which every hand-off
 * waited for a parked waiter's timer (quick runs of ContendedBench.smpTicket while choosing: 1.9 to
 * 3.0 acquisitions/us with 64/8, 3.7 to 3.8 with longer busy phases).
 *
 * <p><b>Lockup.</b> The clock is read only once a wait parks, so a wait that ends in its busy phase
 * never calls {@code System.nanoTime()}; the bound (standing for the kernel's soft-lockup threshold,
 * twice {@code watchdog_thresh}, 20 s by default; the model's default is 10 s) counts from the first
 * park, and the report's "stuck for" says so. The busy phase before it is not counted: microseconds
 * while the holder runs, longer when the yields give the core to other threads (more model CPUs
 * than cores).
 *
 * <p><b>Stepped machines.</b> On a machine made with {@code Machine.Builder.stepped} a spin
 * iteration is the interrupt point and then {@link Stepper#waitIteration}, which runs another
 * CPU's step or decides the lockup; there is no backoff and no clock.
 *
 * <p>Each wait keeps its pause count and its first park in the slot of its context depth: a handler
 * taken at the spin point that waits on another lock uses the next slot, so it neither inherits nor
 * resets the interrupted wait's clock, and {@link #begin} clears the slot, so a wait that ended by
 * an exception leaves nothing behind for the next one. (A {@code PointObserver} or {@code Tracer}
 * runs at the waiter's own depth: one that waited for a contended lock would share its slot.)
 */
final class Spinner {
    static final int SPINS = 256;
    static final int YIELDS = 1_000;
    private static final long MIN_PARK_NANOS = 1_000;
    private static final long MAX_PARK_NANOS = 100_000;

    private final Machine machine;
    private final long boundNanos;
    private final SpinState[] states;
    private final Stepper stepper; // null unless the machine is stepped: no clock, no backoff then

    Spinner(Machine machine, long boundNanos) {
        this.machine = machine;
        this.stepper = machine.stepper();
        this.boundNanos = boundNanos;
        this.states = new SpinState[machine.cpuCount()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new SpinState();
        }
    }

    /** Whether the machine is stepped (its waits run other CPUs' steps and may wait on their own CPU). */
    boolean stepped() {
        return stepper != null;
    }

    /** A wait of the running context of {@code cpu} begins. */
    void begin(Cpu cpu) {
        if (stepper != null) {
            stepper.waitBegin(cpu);
            return;
        }
        states[cpu.id()].pauses[SpinState.P + cpu.depth()] = 0;
    }

    /** The wait of the running context of {@code cpu} ended with the lock taken. */
    void end(Cpu cpu) {
        if (stepper != null) {
            stepper.waitEnd(cpu);
        }
    }

    /** One wait step of {@code cpu} on {@code lock}, whose word names {@code holderTag}. */
    void pause(Cpu cpu, SpinLock lock, String label, int holderTag) {
        cpu.interruptPoint(label); // handlers taken here wait in deeper slots
        if (stepper != null) { // the other CPUs run here, one step at a time; the lockup is decided there
            stepper.waitIteration(cpu, lock, lock.name(),
                    holderTag == OwnerTag.NO_OWNER ? -1 : OwnerTag.cpu(holderTag));
            return;
        }
        SpinState s = states[cpu.id()];
        int slot = SpinState.P + cpu.depth();
        int n = s.pauses[slot];
        if (n < Integer.MAX_VALUE) {
            s.pauses[slot] = n + 1;
        }
        if (n < SPINS) {
            Thread.onSpinWait();
            return;
        }
        if (n < SPINS + YIELDS) {
            Thread.yield();
            return;
        }
        long now = System.nanoTime();
        if (n == SPINS + YIELDS) {
            s.parkedSince[SpinState.PL + cpu.depth()] = now;
        } else if (now - s.parkedSince[SpinState.PL + cpu.depth()] > boundNanos) {
            throw lockup(cpu, lock, holderTag, now - s.parkedSince[SpinState.PL + cpu.depth()]);
        }
        LockSupport.parkNanos(Math.min(MIN_PARK_NANOS << Math.min(n - SPINS - YIELDS, 7), MAX_PARK_NANOS));
    }

    private LockupException lockup(Cpu cpu, SpinLock lock, int holderTag, long parkedNanos) {
        int holder = holderTag == OwnerTag.NO_OWNER ? -1 : OwnerTag.cpu(holderTag);
        String holderText = holder < 0 ? "unknown (queued ahead)"
                : "CPU#" + holder + " " + Splat.describeOwner(machine, holderTag)
                        + ", held locks: " + machine.cpu(holder).heldLocks();
        String report = "watchdog: BUG: soft lockup - CPU#" + cpu.id() + " stuck for "
                + parkedNanos / 1_000_000 + "ms! [spinning on " + lock.name() + "; counted from its first park]\n"
                + " spinning: CPU#" + cpu.id() + " " + cpu.contextName() + ", held locks: " + cpu.heldLocks() + "\n"
                + " holder: " + holderText;
        machine.kernelLog().printk(cpu, report);
        return new LockupException(report, cpu.id(), lock.name(), holder);
    }
}
