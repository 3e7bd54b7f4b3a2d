package io.ctxlock.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The deterministic multi-CPU mode: the CPUs of one machine run one at a time on the host's thread,
 * each through its {@link Program}, switching only at the end of a step and at spin iterations, so
 * that a run is a function of the programs, the {@link Schedule} and the interrupts the host
 * raises. Made by {@link Machine.Builder#stepped(Schedule)}; reach it with {@link Machine#stepper()}.
 *
 * <p><b>The host owns the loop.</b> It asks which CPUs can run ({@link #runnable()}), runs one to
 * the end of its next step ({@link #step}) or to a step with a given label ({@link #stepTo}), raises
 * interrupts on any CPU at its own virtual times ({@link #raise}; delivered at that CPU's next
 * interrupt point, as on a free-running machine) and reads each CPU's state ({@link #state}), or
 * lets the schedule pick ({@link #run}). There is no clock in this mode: nothing here or in the
 * SMP backend's waits reads the wall clock; time is the host's.
 *
 * <p><b>Spinning.</b> A CPU that waits for a lock (the SMP backend's {@code lock()}, a cross-CPU
 * call's wait) calls {@link #waitIteration} at every spin iteration, after the spin's interrupt
 * point. Its step is on the host's stack, so it lends the thread: the schedule picks one of the CPUs
 * that can run a step (not itself, not another CPU whose step is on the stack) and that step runs
 * nested, then the spinner looks at its word again. A step that ran nested passes its end point
 * (where its CPU's interrupts are taken) at the start of its CPU's next turn rather than inside the
 * spinner's iteration: a handler taken there may wait for the spinner, which must be able to look
 * at its word first. A lockup is decided, not timed: when no CPU can run a step, every CPU still
 * in a step spins (the stack holds only spinners under the running one) and every other CPU is
 * done, so no wait can end; the report names each spinner, its lock and the holder the word names
 * (in the soft-lockup words of {@code kernel/watchdog.c} for a CPU spinning with interrupts on, the
 * hard-lockup words for one with them off) and throws a {@linkplain LockupException#decided()
 * decided} {@link LockupException}. A wait past {@link #spinBound()} iterations throws one that is
 * not decided. On a machine of several CPUs a lock() on a lock its own CPU holds spins too (a
 * kernel without CONFIG_DEBUG_SPINLOCK), so the classic self-deadlock is found the same way.
 * Because the nested steps form a stack, a spinner under another can look again only after the one
 * above it stops spinning: if, when no CPU can run, a spinner below could go on (its lock free, or
 * an interrupt waiting that its next iteration would take), the run is outside what the host's one
 * thread can replay, and the stepper says so ({@link IllegalStateException} naming both CPUs)
 * rather than report a lockup the kernel would not have.
 *
 * <p><b>Threads.</b> No thread is started. The first thread that calls the stepper is the only one
 * that may step, load, query or call the backends' hooks, and each CPU is bound to the thread that
 * first uses it ({@link Cpu}'s rule), so a host that sets up and steps from one thread runs every
 * CPU on it; {@link #raise} may be called from any thread (a run is then a function of when the
 * host's loop saw the raise: raise from the loop for a reproducible run). Misuse (stepping from
 * inside a step, loading a CPU that is in one, a label not ahead, another thread) throws with the
 * CPU named and changes nothing. A schedule that picks a CPU it was not offered throws too; during
 * a wait that leaves the waiter's state behind (a ticket lock's ticket stays taken): build a fresh
 * machine.
 *
 * <p>No kernel counterpart: it replaces the hardware's concurrency with an order of steps.
 */
public final class Stepper {
    /** Spin iterations of one wait before a lockup is reported even though CPUs could still run. */
    public static final long DEFAULT_SPIN_BOUND = 100_000;

    private static final Program.Step IDLE = Program.step("cpu_idle", c -> { });

    private final Machine machine;
    private Schedule schedule;
    private final Program[] programs;
    private final int[] next;
    private final boolean[] onStack;
    private final String[] pendingPoint; // the end point of a step that ran nested, passed at the CPU's next turn
    private final StepWaits waits;
    private long events;
    private long spinBound = DEFAULT_SPIN_BOUND;
    private int last = -1;
    private int running = -1;
    private StepListener listener;
    private Thread host;

    /** What a host may hear of each event (all on the host's thread). */
    public interface StepListener {
        /** CPU {@code cpu} ended the step {@code label}; {@code nested} if it ran inside another CPU's spin. */
        void stepped(int cpu, String label, boolean nested);

        /** CPU {@code cpu} looked at the word of what it waits for and found it still taken. */
        default void spun(int cpu, String waitingFor, int holderCpu) {}
    }

    Stepper(Machine machine, Schedule schedule) {
        this.machine = machine;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        int n = machine.cpuCount();
        this.programs = new Program[n];
        Arrays.fill(programs, Program.empty());
        this.next = new int[n];
        this.onStack = new boolean[n];
        this.pendingPoint = new String[n];
        this.waits = new StepWaits(machine);
    }

    public Machine machine() {
        return machine;
    }

    /** Replaces the schedule (between steps). */
    public void setSchedule(Schedule schedule) {
        checkHost("setSchedule");
        checkIdle("setSchedule");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** Sets the listener told of every step and spin iteration, or null for none. */
    public void setListener(StepListener listener) {
        checkHost("setListener");
        this.listener = listener;
    }

    /** Iterations one wait may spin before a lockup is reported; at least 1. */
    public void setSpinBound(long bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("spin bound must be positive: " + bound);
        }
        this.spinBound = bound;
    }

    public long spinBound() {
        return spinBound;
    }

    /** Gives CPU {@code cpu} a program, replacing what was left of its last one; the CPU must not be in a step. */
    public void load(int cpu, Program program) {
        checkHost("load");
        Objects.requireNonNull(program, "program");
        machine.cpu(cpu);
        if (onStack[cpu]) {
            throw new IllegalStateException("CPU#" + cpu + " is in a step (" + machine.cpu(cpu).contextStack()
                    + "): load its program between steps");
        }
        programs[cpu] = program;
        next[cpu] = 0;
    }

    /**
     * The CPUs that can run a step now, ascending: none of their steps on the stack, and a step
     * left or, for a CPU whose program is done, an interrupt waiting or the end point of its last
     * step still to pass (its idle step does both).
     */
    public int[] runnable() {
        checkHost("runnable");
        return options(-1);
    }

    /** Events so far: steps ended and spin iterations, of every CPU. */
    public long events() {
        return events;
    }

    /**
     * Runs CPU {@code cpu} to the end of its next step and returns the step's label. Other CPUs run
     * nested where it spins. A CPU whose program is done passes the idle loop's interrupt point
     * instead ({@code do_idle()} with interrupts on), so that interrupts raised on it are taken; the
     * label is then {@code "cpu_idle"}.
     */
    public String step(int cpu) {
        checkHost("step");
        checkIdle("step CPU#" + cpu);
        machine.cpu(cpu);
        return runStep(cpu, false);
    }

    /** Steps CPU {@code cpu} until a step labelled {@code label} has ended; that label must be ahead in its program. */
    public void stepTo(int cpu, String label) {
        checkHost("stepTo");
        checkIdle("stepTo CPU#" + cpu);
        machine.cpu(cpu);
        int target = programs[cpu].indexOf(label, next[cpu]);
        if (target < 0) {
            throw new IllegalArgumentException("CPU#" + cpu + " has no step '" + label + "' ahead in "
                    + programs[cpu] + " (next step " + next[cpu] + ")");
        }
        while (next[cpu] <= target) {
            runStep(cpu, false);
        }
    }

    /** Lets the schedule pick CPUs, a step at a time, until none can run or {@code maxSteps} steps ran; returns the steps run. */
    public long run(long maxSteps) {
        checkHost("run");
        checkIdle("run");
        long n = 0;
        while (n < maxSteps) {
            int[] options = options(-1);
            if (options.length == 0) {
                break;
            }
            runStep(choose(options, last, false), false);
            n++;
        }
        return n;
    }

    /** Raises {@code interrupt} on CPU {@code cpu}; any thread ({@link Cpu#raise}). */
    public void raise(int cpu, Interrupt interrupt) {
        machine.cpu(cpu).raise(interrupt);
    }

    /** A snapshot of CPU {@code cpu}. */
    public CpuState state(int cpu) {
        checkHost("state");
        Cpu c = machine.cpu(cpu);
        Program p = programs[cpu];
        return new CpuState(cpu, c.contextStack(), c.heldLocks(), c.preemptCount(), c.irqsDisabled(),
                waits.waitingFor(cpu), next[cpu], next[cpu] < p.size() ? p.step(next[cpu]).label() : null, onStack[cpu]);
    }

    // ---- the backends' hooks (SPI): called by a CPU in a step, on the host's thread ----

    /** A wait of {@code cpu}'s running context begins. */
    public void waitBegin(Cpu cpu) {
        checkRunning(cpu, "waitBegin");
        waits.begin(cpu);
    }

    /**
     * One spin iteration of {@code cpu} waiting for {@code what} (a lock's name), {@code lock}, taken
     * by {@code holderCpu} (-1 if unknown): runs another CPU's step, or throws
     * {@link LockupException} when none can run.
     */
    public void waitIteration(Cpu cpu, SpinLock lock, String what, int holderCpu) {
        waitIteration(cpu, lock, null, what, holderCpu);
    }

    /**
     * One spin iteration of {@code cpu} waiting for something that is not a lock word (a cross-CPU
     * call's answer), which {@code ready} tells has come; otherwise as
     * {@link #waitIteration(Cpu, SpinLock, String, int)}.
     */
    public void waitIteration(Cpu cpu, java.util.function.BooleanSupplier ready, String what, int holderCpu) {
        waitIteration(cpu, null, Objects.requireNonNull(ready, "ready"), what, holderCpu);
    }

    private void waitIteration(Cpu cpu, SpinLock lock, java.util.function.BooleanSupplier ready, String what,
            int holderCpu) {
        checkRunning(cpu, "waitIteration");
        int id = cpu.id();
        events++;
        long n = waits.iteration(cpu, lock, ready, what, holderCpu);
        StepListener l = listener;
        if (l != null) {
            l.spun(id, what, holderCpu);
        }
        int[] options = options(id);
        if (options.length == 0 || n > spinBound) {
            throw waits.lockup(cpu, n, options.length > 0, onStack, i -> onStack[i] ? "in a step"
                    : next[i] < programs[i].size() ? "runnable" : "done");
        }
        runStep(choose(options, id, true), true);
    }

    /** The wait of {@code cpu}'s running context ended (it got the lock or the answer). */
    public void waitEnd(Cpu cpu) {
        checkRunning(cpu, "waitEnd");
        waits.end(cpu.id());
    }

    // ---- internals ----

    private String runStep(int cpu, boolean nested) {
        Program p = programs[cpu];
        if (onStack[cpu]) {
            throw new IllegalStateException("CPU#" + cpu + " is in a step already (" + machine.cpu(cpu).contextStack() + ")");
        }
        boolean idle = next[cpu] >= p.size();
        Program.Step s = idle ? IDLE : p.step(next[cpu]);
        Cpu c = machine.cpu(cpu);
        int outer = running;
        onStack[cpu] = true;
        running = cpu;
        try {
            String pending = pendingPoint[cpu];
            if (pending != null) {
                pendingPoint[cpu] = null;
                c.interruptPoint(pending);
            }
            s.body().accept(c);
            if (nested && !idle) {
                pendingPoint[cpu] = s.label();
            } else {
                c.interruptPoint(s.label());
            }
        } finally {
            onStack[cpu] = false;
            running = outer;
            waits.end(cpu);
        }
        if (!idle) {
            next[cpu]++;
        }
        events++;
        last = cpu;
        StepListener l = listener;
        if (l != null) {
            l.stepped(cpu, s.label(), nested);
        }
        return s.label();
    }

    private int[] options(int except) {
        int n = 0;
        int[] out = new int[programs.length];
        for (int i = 0; i < programs.length; i++) {
            if (i != except && !onStack[i] && (next[i] < programs[i].size() || pendingPoint[i] != null
                    || machine.cpu(i).interrupts.hasWork())) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private int choose(int[] options, int current, boolean spinning) {
        int pick = schedule.choose(options.clone(), current, spinning);
        for (int o : options) {
            if (o == pick) {
                return pick;
            }
        }
        throw new IllegalStateException("schedule picked CPU#" + pick + ", not one of " + Arrays.toString(options)
                + (spinning ? " while CPU#" + current + " spins on " + waits.waitingFor(current) : ""));
    }

    private void checkHost(String what) {
        Thread t = Thread.currentThread();
        if (host == null) {
            host = t;
        } else if (host != t) {
            throw new IllegalStateException(what + " from thread '" + t.getName() + "': the stepped " + machine
                    + " is driven by thread '" + host.getName() + "'");
        }
    }

    private void checkIdle(String what) {
        if (running >= 0) {
            throw new IllegalStateException(what + " inside a step of CPU#" + running + " ("
                    + machine.cpu(running).contextStack() + "): only the host loop steps CPUs");
        }
    }

    private void checkRunning(Cpu cpu, String what) {
        checkHost(what);
        if (cpu.machine() != machine || !onStack[cpu.id()]) {
            throw new IllegalStateException(what + " for CPU#" + cpu.id() + " (" + cpu.contextStack()
                    + "), which is not in a step of " + machine);
        }
    }
}
