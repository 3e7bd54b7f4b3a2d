package io.ctxlock.alloc;

import io.ctxlock.api.Backend;
import io.ctxlock.api.Backends;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;

/**
 * The configurations of the record ({@code docs/record.md}): which spinlock backend the machine
 * needs, and which code paths the allocator takes. The backend is named ({@link #backend()}) and
 * built through {@link Backends#named}, so this module depends on lock-api only; the backend
 * module must be present at run time.
 *
 * <ul>
 * <li>{@code upPcpIrqsave}: the UP workaround, {@code pcp_trylock_prepare(UP_flags)}: every pcp
 *     trylock section runs inside {@code local_irq_save()}.
 * <li>{@code drainIrqsave}: 038a102535eb, the pcp drains take the pcp lock with irqsave on UP.
 * <li>{@code pcpBypass}: Vlastimil's 2026 follow-up: {@code pcp_spin_trylock()} is NULL on UP.
 * <li>{@code policy}: {@code can_spin_trylock()} at every {@code _nolock} entry.
 * </ul>
 */
public enum KernelConfig {
    SMP("SMP backend, 2 CPUs, current kernel code paths", "smp-ttas", 2, false, false, false, false, Policy.NONE),
    UP("UP, stateless spinlocks, v6.18 code: pcp irqsave workaround, plain spin_lock drains",
            "up-stateless", 1, false, true, false, false, Policy.NONE),
    UP_DEBUG("UP with DEBUG_SPINLOCK, v6.18 code", "up-debug", 1, false, true, false, false, Policy.NONE),
    A("proposal A: the SMP implementation with one CPU", "smp-ttas", 1, false, false, false, false, Policy.NONE),
    B("proposal B: UP spinlocks with a lock word each", "up-stateful", 1, false, true, false, false, Policy.NONE),
    C("proposal C: all pcp locks share one word on UP", "up-shared-word:" + PerCpuPages.LOCK_CLASS, 1, false, true, false, false, Policy.NONE),
    D("proposal D: pcp, zone, node list locks are the trylock-from-any-context class",
            "up-any-context-class", 1, false, true, false, false, Policy.NONE),
    E("upstream mid-2026 on UP: pcp bypassed, 038a102535eb drains, can_spin_trylock() refuses in NMI",
            "up-stateless", 1, false, true, true, true, Policy.UP_NMI),
    RT("PREEMPT_RT: _nolock APIs and local_trylock refuse in NMI and hardirq", "smp-ttas", 2, true, false, false,
            false, Policy.RT);

    /** {@code can_spin_trylock()}: where the {@code _nolock} APIs give up before any trylock. */
    public enum Policy {
        NONE,
        /** false in NMI on UP (upstream 2026). */
        UP_NMI,
        /** false in NMI or hardirq (PREEMPT_RT). */
        RT
    }

    private final String description;
    private final String backend;
    private final int cpus;
    private final boolean preemptRt;
    private final boolean upPcpIrqsave;
    private final boolean drainIrqsave;
    private final boolean pcpBypass;
    private final Policy policy;

    KernelConfig(String description, String backend, int cpus, boolean preemptRt, boolean upPcpIrqsave,
            boolean drainIrqsave, boolean pcpBypass, Policy policy) {
        this.description = description;
        this.backend = backend;
        this.cpus = cpus;
        this.preemptRt = preemptRt;
        this.upPcpIrqsave = upPcpIrqsave;
        this.drainIrqsave = drainIrqsave;
        this.pcpBypass = pcpBypass;
        this.policy = policy;
    }

    public String description() {
        return description;
    }

    /** The backend's name for {@link Backends#named}, e.g. {@code "up-stateless"}. */
    public String backend() {
        return backend;
    }

    /**
     * A machine builder for this configuration: its backend, CPU count and RT flag, the only
     * place a configuration becomes a machine. Add the validator, mailbox size, tracer and build.
     * The backend is looked up by name each time (some 20 us); to build many machines, keep
     * {@link #newBackend()} and use {@link #machineBuilder(Backend)}.
     *
     * @throws IllegalArgumentException if the backend module is not present
     */
    public Machine.Builder machineBuilder() {
        return machineBuilder(newBackend());
    }

    /**
     * As {@link #machineBuilder()}, on {@code backend}: normally {@link #newBackend()}; any other
     * backend runs this configuration's code paths on that backend instead (the record does not
     * cover that pairing).
     */
    public Machine.Builder machineBuilder(Backend backend) {
        return Machine.builder().backend(backend).cpus(cpus).preemptRt(preemptRt);
    }

    /** This configuration's backend, {@link Backends#named}{@code (backend())}; immutable, reusable. */
    public Backend newBackend() {
        return Backends.named(backend);
    }

    public int cpus() {
        return cpus;
    }

    public boolean preemptRt() {
        return preemptRt;
    }

    public boolean upPcpIrqsave() {
        return upPcpIrqsave;
    }

    public boolean drainIrqsave() {
        return drainIrqsave;
    }

    public boolean pcpBypass() {
        return pcpBypass;
    }

    public Policy policy() {
        return policy;
    }

    /**
     * {@code can_spin_trylock()} ({@code mm/internal.h}, 2026): may a {@code _nolock} allocation try
     * at all here? E: not in NMI on UP. RT: not in NMI or hardirq, as v6.18's
     * {@code IS_ENABLED(CONFIG_PREEMPT_RT) && (in_nmi() || in_hardirq())} in
     * {@code alloc_frozen_pages_nolock_noprof()}; later kernels test {@code !preemptible()} in
     * {@code kmalloc_nolock()}, which also refuses with preemption or interrupts disabled (not modeled).
     */
    public boolean canSpinTrylock(Cpu cpu) {
        switch (policy) {
            case UP_NMI:
                return !cpu.inNmi();
            case RT:
                return !cpu.inNmi() && !cpu.inHardirq();
            default:
                return true;
        }
    }
}
