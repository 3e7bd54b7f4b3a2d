package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.OwnerTag;
import io.ctxlock.api.spi.Splat;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * What a CPU does between two looks at a lock word it waits for: take the interrupts it may take,
 * back off, and give up with a soft-lockup report past the machine's bound. One per machine, with
 * one idle strategy per CPU (each touched only by its CPU's thread), never one per lock.
 */
final class Spinner {
    private final Machine machine;
    private final long boundNanos;
    private final BackoffIdleStrategy[] idle;

    Spinner(Machine machine, long boundNanos) {
        this.machine = machine;
        this.boundNanos = boundNanos;
        this.idle = new BackoffIdleStrategy[machine.cpuCount()];
        for (int i = 0; i < idle.length; i++) {
            // spin 64 times, yield 8 times, then park from 1 us up to 100 us
            idle[i] = new BackoffIdleStrategy(64, 8, 1_000, 100_000);
        }
    }

    /** One wait step of {@code cpu} on {@code lock}, whose word names {@code holderTag}. */
    void pause(Cpu cpu, SpinLock lock, String label, int holderTag, long startNanos) {
        cpu.interruptPoint(label);
        idle[cpu.id()].idle();
        long waited = System.nanoTime() - startNanos;
        if (waited > boundNanos) {
            throw lockup(cpu, lock, holderTag, waited);
        }
    }

    /** The wait is over (acquired, or given up). */
    void done(Cpu cpu) {
        idle[cpu.id()].reset();
    }

    private LockupException lockup(Cpu cpu, SpinLock lock, int holderTag, long waitedNanos) {
        done(cpu);
        int holder = holderTag == OwnerTag.NO_OWNER ? -1 : OwnerTag.cpu(holderTag);
        String holderText = holder < 0 ? "unknown (queued ahead)"
                : "CPU#" + holder + " " + Splat.describeOwner(machine, holderTag)
                        + ", held locks: " + machine.cpu(holder).heldLocks();
        String report = "watchdog: BUG: soft lockup - CPU#" + cpu.id() + " stuck for "
                + waitedNanos / 1_000_000 + "ms! [spinning on " + lock.name() + "]\n"
                + " spinning: CPU#" + cpu.id() + " " + cpu.contextName() + ", held locks: " + cpu.heldLocks() + "\n"
                + " holder: " + holderText;
        machine.kernelLog().printk(cpu, report);
        return new LockupException(report, cpu.id(), lock.name(), holder);
    }
}
