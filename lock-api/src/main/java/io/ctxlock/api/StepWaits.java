package io.ctxlock.api;

/**
 * What the CPUs of a stepped machine wait for ({@link Stepper}): per CPU the lock or call it spins
 * on and the holder its word names, per CPU and context depth the iterations of the wait, and the
 * lockup report built from them, in the watchdog's words ({@code kernel/watchdog.c}:
 * "BUG: soft lockup - CPU#1 stuck for 22s!"), counted in spin iterations instead of seconds.
 * The host's thread only.
 */
final class StepWaits {
    private final Machine machine;
    private final String[] waitingFor;
    private final SpinLock[] lock;
    private final java.util.function.BooleanSupplier[] ready;
    private final int[] holder;
    private final long[][] spins;

    StepWaits(Machine machine) {
        this.machine = machine;
        int n = machine.cpuCount();
        this.waitingFor = new String[n];
        this.lock = new SpinLock[n];
        this.ready = new java.util.function.BooleanSupplier[n];
        this.holder = new int[n];
        this.spins = new long[n][io.ctxlock.api.spi.OwnerTag.MAX_DEPTH + 1];
    }

    void begin(Cpu cpu) {
        spins[cpu.id()][cpu.depth()] = 0;
    }

    /** Notes one iteration of {@code cpu}'s wait and returns how many its wait has had. */
    long iteration(Cpu cpu, SpinLock l, java.util.function.BooleanSupplier isReady, String what, int holderCpu) {
        int id = cpu.id();
        waitingFor[id] = what;
        lock[id] = l;
        ready[id] = isReady;
        holder[id] = holderCpu;
        return ++spins[id][cpu.depth()];
    }

    void end(int cpu) {
        waitingFor[cpu] = null;
        lock[cpu] = null;
        ready[cpu] = null;
    }

    String waitingFor(int cpu) {
        return waitingFor[cpu];
    }

    /**
     * The lockup of {@code cpu} after {@code iterations}: {@code bounded} if past the stepper's
     * bound, else because no CPU can run a step. {@code status} says what each CPU that does not
     * wait is doing. Written to the kernel log, in the soft-lockup words for a CPU spinning with
     * interrupts on and the hard-lockup words ({@code watchdog_hardlockup_check()}) for one spinning
     * with them off. If a CPU under the spinner on the host's stack could go on, the run is not one
     * the host's thread can replay: that throws {@link IllegalStateException} instead.
     */
    LockupException lockup(Cpu cpu, long iterations, boolean bounded, boolean[] onStack,
            java.util.function.IntFunction<String> status) {
        int id = cpu.id();
        String why = (bounded ? "past the stepper's bound" : "no CPU can run a step");
        StringBuilder b = new StringBuilder(cpu.irqsDisabled() // the NMI watchdog sees a CPU spinning with interrupts off
                ? "watchdog: Watchdog detected hard LOCKUP on cpu " + id + " [spinning on " + waitingFor[id] + " for "
                        + iterations + " spin iterations; " + why + "]"
                : "watchdog: BUG: soft lockup - CPU#" + id + " stuck for " + iterations + " spin iterations! [spinning on "
                        + waitingFor[id] + "; " + why + "]");
        for (int i = 0; i < waitingFor.length; i++) {
            Cpu c = machine.cpu(i);
            if (waitingFor[i] != null) {
                b.append("\n spinning: CPU#").append(i).append(' ').append(c.contextStack()).append(" on ")
                        .append(waitingFor[i]).append(" held by ").append(holder[i] < 0 ? "?" : "CPU#" + holder[i])
                        .append(", held locks: ").append(c.heldLocks());
            } else if (i != id) {
                b.append("\n CPU#").append(i).append(' ').append(status.apply(i)).append(", held locks: ")
                        .append(c.heldLocks());
            }
        }
        if (!bounded) {
            for (int i = 0; i < waitingFor.length; i++) {
                String could = i == id || !onStack[i] ? null : couldGoOn(i);
                if (could != null) {
                    throw new IllegalStateException("CPU#" + i + " waits for " + waitingFor[i] + " and " + could
                            + ", under CPU#" + id + " spinning on " + waitingFor[id]
                            + ": this order of steps cannot be replayed on one thread\n" + b);
                }
            }
        }
        String report = b.toString();
        machine.kernelLog().printk(cpu, report);
        return new LockupException(report, id, waitingFor[id], holder[id], !bounded);
    }

    /**
     * Why CPU {@code i}, spinning under another CPU on the host's stack, could go on if it ran: the
     * word it waits for names no owner (for a ticket lock, its holder released it; a queued
     * waiter's ticket does not count), what else it waits for is ready (a cross-CPU call answered),
     * or an interrupt waits that its next spin iteration would take (interrupts on: an IPI that
     * answers a cross-CPU call, say). Null if none of these.
     */
    private String couldGoOn(int i) {
        SpinLock l = lock[i];
        if (l != null && l.ownerTag() == io.ctxlock.api.spi.OwnerTag.NO_OWNER) {
            return "it is free";
        }
        if (ready[i] != null && ready[i].getAsBoolean()) {
            return "it is ready";
        }
        Cpu c = machine.cpu(i);
        if (!c.irqsDisabled() && c.interrupts.hasWork()) {
            return "an interrupt waits for it";
        }
        return null;
    }
}
