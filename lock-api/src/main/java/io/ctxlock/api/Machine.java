package io.ctxlock.api;

import io.ctxlock.api.spi.BackendSpi;
import java.util.Objects;

/**
 * A simulated machine: its CPUs, the lock backend, the kernel configuration that matters here
 * (PREEMPT_RT on or off), the point observer, and the kernel log. Everything of the model is
 * reachable from a machine the user builds; there is no static mutable state, so any number of
 * machines, on any mix of backends, live side by side in one JVM without interfering.
 *
 * <pre>{@code
 * Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATEFUL)).build();
 * Cpu cpu = m.cpu(0);
 * SpinLock lock = m.newSpinLock("pcp->lock", LockClass.anyContext("pcp->lock"));
 * }</pre>
 *
 * <p>Thread-safety: build and configure (observer) a machine before its CPUs run; afterwards
 * lock creation is safe from any thread, the CPUs follow {@link Cpu}'s threading rules, and the
 * kernel log is synchronized. A stepped machine ({@link Builder#stepped}) is driven by one host
 * thread, through its {@link Stepper}.
 */
public final class Machine {
    private final Cpu[] cpus;
    private final Backend backend;
    private final BackendSpi.LockWordFactory words;
    private final boolean preemptRt;
    private final KernelLog kernelLog = new KernelLog();
    private final Lockdep lockdep;
    private final java.util.concurrent.atomic.AtomicBoolean debugLocks = new java.util.concurrent.atomic.AtomicBoolean(true);
    private PointObserver observer; // plain; set before the CPUs run
    private final LockRegistry locks = new LockRegistry();
    private final Stepper stepper; // null: the CPUs are threads

    private Machine(Builder b) {
        if (!(b.backend instanceof BackendSpi)) {
            throw new IllegalArgumentException("backend " + b.backend.name() + " does not implement the SPI");
        }
        if (b.cpus < 1 || b.cpus > b.backend.maxCpus()) {
            throw new IllegalArgumentException("backend " + b.backend.name() + " supports 1.."
                    + b.backend.maxCpus() + " CPUs, asked for " + b.cpus);
        }
        this.backend = b.backend;
        this.preemptRt = b.preemptRt;
        this.cpus = new Cpu[b.cpus];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(this, i, b.mailboxCapacity);
        }
        this.lockdep = b.lockdep ? new Lockdep(this, b.cpus) : null;
        for (Cpu c : cpus) {
            c.lockdep = lockdep;
        }
        this.stepper = b.schedule == null ? null : new Stepper(this, b.schedule);
        this.words = ((BackendSpi) b.backend).attach(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Cpu cpu(int id) {
        if (id < 0 || id >= cpus.length) {
            throw new IllegalArgumentException("no CPU#" + id + " on a machine of " + cpus.length + " CPUs");
        }
        return cpus[id];
    }

    public int cpuCount() {
        return cpus.length;
    }

    public Backend backend() {
        return backend;
    }

    /**
     * The deterministic multi-CPU mode's stepper, or null when the CPUs are driven by threads of
     * their own (the default). Backends look here once, when they attach: a stepped machine's waits
     * call {@link Stepper#waitIteration} instead of spinning on the clock.
     */
    public Stepper stepper() {
        return stepper;
    }

    /** Whether the PREEMPT_RT context policy applies (trylock refused in NMI and hardirq). */
    public boolean preemptRt() {
        return preemptRt;
    }

    /** The lock validator, or null when it is off (the default). */
    public Lockdep lockdep() {
        return lockdep;
    }

    /**
     * The kernel's {@code debug_locks} ({@code lib/debug_locks.c}): true until the first lock
     * debugging report of this machine (a debug-spinlock BUG or a lockdep report) switches lock
     * debugging off; the validator then stops and no further such report prints. Any thread.
     */
    public boolean debugLocks() {
        return debugLocks.get();
    }

    /**
     * {@code debug_locks_off()}: switches lock debugging off and returns true if it was on, so
     * that the caller prints its report; false (print nothing) if it was already off. Any thread.
     */
    public boolean debugLocksOff() {
        return debugLocks.getAndSet(false);
    }

    /** The model's dmesg. */
    public KernelLog kernelLog() {
        return kernelLog;
    }

    /** {@code DEFINE_SPINLOCK(name)}: a lock whose class is its name. */
    public SpinLock newSpinLock(String name) {
        return newSpinLock(name, LockClass.of(name));
    }

    /** {@code spin_lock_init()} of a lock of the given class. */
    public SpinLock newSpinLock(String name, LockClass lockClass) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lockClass, "lockClass");
        return new SpinLock(this, name, lockClass, words.newLockWord(name, lockClass));
    }

    /** {@code DEFINE_PER_CPU(local_trylock_t, name)}: one instance per CPU. */
    public LocalTryLock.PerCpu newLocalTryLock(String name) {
        Objects.requireNonNull(name, "name");
        LockClass cls = LockClass.of(name);
        LocalTryLock[] instances = new LocalTryLock[cpus.length];
        for (int i = 0; i < instances.length; i++) {
            instances[i] = new LocalTryLock(this, name, cls, i);
        }
        return new LocalTryLock.PerCpu(instances);
    }

    /** Gives a new lock its id (from 1) and keeps its name and class; locks live as long as their machine. */
    int register(KernelLock lock, String name, LockClass lockClass) {
        return locks.add(lock, name, lockClass);
    }

    /** The lock with this id (error paths and reports only). */
    KernelLock lockById(int id) {
        return locks.lock(id);
    }

    /** The registry: where a {@link SpinLock} keeps its name and class. */
    LockRegistry locks() {
        return locks;
    }

    /** Sets (or, with null, clears) the observer of every CPU's interrupt points. */
    public void setPointObserver(PointObserver observer) {
        this.observer = observer;
        for (Cpu c : cpus) {
            c.observer = observer;
        }
    }

    public PointObserver pointObserver() {
        return observer;
    }

    /** Sets (or, with null, clears) the tracer of every CPU. */
    public void setTracer(Tracer tracer) {
        for (Cpu c : cpus) {
            c.tracer = tracer;
        }
    }

    @Override
    public String toString() {
        return "Machine[" + backend.name() + ", " + cpus.length + " CPU" + (cpus.length == 1 ? "" : "s")
                + (preemptRt ? ", PREEMPT_RT" : "") + "]";
    }

    /** Builds a {@link Machine}; one CPU, no RT, a mailbox of 1024 per CPU unless told otherwise. */
    public static final class Builder {
        private int cpus = 1;
        private Backend backend;
        private boolean preemptRt;
        private int mailboxCapacity = 1024;
        private boolean lockdep;
        private Schedule schedule;

        private Builder() {}

        public Builder cpus(int cpus) {
            this.cpus = cpus;
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** PREEMPT_RT semantics: the context policy of trylocks and local locks. */
        public Builder preemptRt(boolean preemptRt) {
            this.preemptRt = preemptRt;
            return this;
        }

        /** Interrupts that may wait in one CPU's mailbox (rounded up to a power of two). */
        public Builder mailboxCapacity(int capacity) {
            if (capacity < 2) {
                throw new IllegalArgumentException("mailbox capacity must be at least 2: " + capacity);
            }
            this.mailboxCapacity = capacity;
            return this;
        }

        /** Turns on the lock validator ({@link Lockdep}); off by default. */
        public Builder lockdep(boolean on) {
            this.lockdep = on;
            return this;
        }

        /**
         * The deterministic multi-CPU mode ({@link Stepper}): the CPUs run one at a time on the host's
         * thread, through the programs the host loads, switching where {@code schedule} says.
         */
        public Builder stepped(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        public Machine build() {
            if (backend == null) {
                throw new IllegalStateException("no backend: call backend(UpBackend.create(...)) or similar");
            }
            return new Machine(this);
        }
    }
}
