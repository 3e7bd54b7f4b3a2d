package io.ctxlock.api;

import io.ctxlock.api.spi.OwnerTag;

/**
 * A CPU's stack of nested contexts: what each frame is, and the CPU state it interrupted, so that
 * leaving it restores exactly that. Frame 0 is the task. Bound thread only; plain arrays sized
 * once, so entering and leaving a context allocates nothing.
 *
 * <p>Kernel counterparts: {@code nmi_enter()}/{@code nmi_exit()} ({@code include/linux/hardirq.h}),
 * {@code irq_enter()}/{@code irq_exit()} ({@code kernel/softirq.c}), {@code __do_softirq()}, and a
 * probe hit, which changes neither preempt_count nor the flag.
 *
 * <p>Only the nestings the hardware and the kernel allow are entered: no NMI while in NMI (x86
 * blocks NMIs until the first one's {@code iret}; a raised one is latched, see
 * {@link InterruptController}); no hardirq in a hardirq (handlers run with interrupts off); no
 * softirq in interrupt context ({@code in_interrupt()}); no probe inside itself: a probe named
 * {@code "kprobe/..."} or {@code "kretprobe/..."} (the BPF section-name convention) is skipped while
 * any such probe runs on the CPU ({@code kprobe_running()} in {@code kprobe_ftrace_handler()}, and
 * {@code bpf_prog_active} in {@code trace_call_bpf()}), and any probe is skipped while a probe of
 * the same name (the same program: {@code prog->active} in {@code __bpf_prog_enter_recur()}) runs.
 * A skipped probe is counted as missed ({@link Cpu#probesMissed()}, {@link Tracer#probeMissed}).
 * Left out: the x86 NMI stack-switching dance, and the NMI that an int3-based kprobe in NMI code
 * could unblock by its own {@code iret} (the kernel's nested-NMI handling makes that a latch too).
 */
final class ContextFrames {
    /** Frames per CPU: NMIs, hardirqs, a softirq and probes, with room to spare. */
    static final int MAX_FRAMES = 64;

    // Frame d is element P + d (P1 + d for the booleans): arrays padded as PerCpuPadding says, since
    // the CPU writes them on every interrupt it takes. The object itself only holds the references.
    private static final int P = PerCpuPadding.PAD_4;
    private static final int P1 = PerCpuPadding.PAD_1;
    private final ContextKind[] kinds = new ContextKind[PerCpuPadding.padded(MAX_FRAMES, P)];
    private final String[] names = new String[PerCpuPadding.padded(MAX_FRAMES, P)];
    private final int[] savedPreempt = new int[PerCpuPadding.padded(MAX_FRAMES, P)];
    private final boolean[] savedIrqs = new boolean[PerCpuPadding.padded(MAX_FRAMES, P1)];

    ContextFrames() {
        kinds[P] = ContextKind.TASK;
        names[P] = "task";
    }

    ContextKind kind(int depth) {
        return kinds[P + depth];
    }

    /**
     * The name of the frame at {@code depth}, or "?" if there is none. Another CPU's thread may call
     * this while the bound thread pops the frame (a lockup or CSD report reading its holder), so the
     * two fields are read once each and a cleared one reads as gone.
     */
    String name(int depth) {
        if (depth == 0) {
            return "task";
        }
        if (depth < 0 || depth >= MAX_FRAMES) {
            return "?";
        }
        ContextKind kind = kinds[P + depth];
        String name = names[P + depth];
        return kind == null || name == null ? "?" : kind.kernelName() + "(" + name + ")";
    }

    String stack(int depth) {
        StringBuilder sb = new StringBuilder("task");
        for (int d = 1; d <= depth; d++) {
            sb.append(" > ").append(name(d));
        }
        return sb.toString();
    }

    /**
     * Whether a probe named {@code name} hitting now would be skipped as recursion: the same
     * program is already running on this CPU, or it is a kprobe and a kprobe is running.
     */
    boolean probeBlocked(Cpu cpu, String name) {
        boolean kprobe = isKprobe(name);
        for (int d = 1; d <= cpu.depth; d++) {
            if (kinds[P + d] == ContextKind.PROBE && (names[P + d].equals(name) || kprobe && isKprobe(names[P + d]))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKprobe(String name) {
        return name.startsWith("kprobe/") || name.startsWith("kretprobe/");
    }

    /** Whether the hardware would deliver {@code kind} on {@code cpu} now; throws if it would not. */
    void checkEnter(Cpu cpu, ContextKind kind, String name) {
        String refusal = null;
        Misuse.Kind<? extends LockMisuseException> type = LockMisuseException.InvalidContext::new;
        int count = cpu.preemptCount;
        switch (kind) {
            case TASK:
                refusal = "cannot enter a task context from " + cpu.contextName();
                break;
            case NMI:
                if (PreemptCount.inNmi(count)) {
                    refusal = "NMI " + name + " entered while in NMI: the hardware blocks NMIs until the running"
                            + " one returns (a raised NMI is latched and runs then)";
                }
                break;
            case HARDIRQ:
                if (!cpu.irqsEnabled) {
                    refusal = "hardirq " + name + " entered with interrupts disabled";
                } else if (PreemptCount.inHardirq(count)) {
                    refusal = "hardirq " + name + " entered in hardirq context: handlers run with interrupts off"
                            + " (a raised hardirq stays pending until they are on)";
                }
                break;
            case SOFTIRQ:
                if (!cpu.irqsEnabled || PreemptCount.inInterrupt(count)) {
                    refusal = "softirq " + name + " entered in interrupt context or with interrupts disabled";
                }
                break;
            case PROBE:
            default:
                if (probeBlocked(cpu, name)) {
                    refusal = "probe " + name + " entered inside itself: the kernel skips such a hit and counts it"
                            + " missed (Cpu.run does that)";
                }
                break;
        }
        String field = refusal == null ? PreemptCount.overflow(count, entryOffset(kind)) : null;
        if (field != null) {
            refusal = kind.kernelName() + " entry of " + name + " overflows the " + field + " field of "
                    + PreemptCount.describe(count);
            type = LockMisuseException.NestingOverflow::new;
        }
        if (refusal == null && cpu.depth + 1 >= MAX_FRAMES) {
            refusal = "context stack overflow: " + MAX_FRAMES + " frames (" + name + ")";
            type = LockMisuseException.NestingOverflow::new;
        }
        if (refusal != null) {
            throw Misuse.cpu(type, cpu, refusal);
        }
    }

    void enter(Cpu cpu, ContextKind kind, String name) {
        checkEnter(cpu, kind, name);
        push(cpu, kind, name);
    }

    private void push(Cpu cpu, ContextKind kind, String name) {
        int d = cpu.depth + 1;
        kinds[P + d] = kind;
        names[P + d] = name;
        savedPreempt[P + d] = cpu.preemptCount;
        savedIrqs[P1 + d] = cpu.irqsEnabled;
        cpu.preemptAdd(entryOffset(kind));
        switch (kind) {
            case NMI:
            case HARDIRQ:
                cpu.irqsOff(); // the hardware clears the flag on interrupt entry
                break;
            case SOFTIRQ:
                cpu.restoreState(cpu.preemptCount, true); // __do_softirq() runs the actions with interrupts on
                break;
            case PROBE:
                cpu.probeDepth++;
                break;
            default:
                break;
        }
        cpu.depth = d;
        cpu.ownerTag = OwnerTag.of(cpu.id(), d);
        Tracer t = cpu.tracer;
        if (t != null) {
            t.entered(cpu);
        }
    }

    private static int entryOffset(ContextKind kind) {
        switch (kind) {
            case NMI:
                return PreemptCount.NMI_OFFSET + PreemptCount.HARDIRQ_OFFSET;
            case HARDIRQ:
                return PreemptCount.HARDIRQ_OFFSET;
            case SOFTIRQ:
                return PreemptCount.SOFTIRQ_OFFSET;
            default:
                return 0;
        }
    }

    /** The public exit: checks order and leaks first, and changes nothing if it throws. */
    void exit(Cpu cpu, ContextKind kind) {
        int d = cpu.depth;
        if (d == 0 || kinds[P + d] != kind) {
            throw Misuse.cpu(LockMisuseException.ContextOrder::new, cpu,
                    "leaving " + kind.kernelName() + " while running " + cpu.contextName());
        }
        checkLeaks(cpu, d);
        pop(cpu);
        cpu.interrupts.afterExit(cpu, kind);
    }

    /**
     * Runs a handler in a new frame; the frame is popped however the handler ends. A probe that
     * would recurse is skipped and counted; an NMI while in NMI is latched, to run when the running
     * NMI returns.
     */
    void run(Cpu cpu, ContextKind kind, String name, Handler handler) {
        if (kind == ContextKind.PROBE && probeBlocked(cpu, name)) { // kprobes_inc_nmissed_count()
            cpu.probesMissed++;
            Tracer t = cpu.tracer;
            if (t != null) {
                t.probeMissed(cpu, name);
            }
            return;
        }
        if (kind == ContextKind.NMI && PreemptCount.inNmi(cpu.preemptCount)) {
            cpu.interrupts.latch(cpu, Interrupt.nmi(name, handler));
            return;
        }
        checkEnter(cpu, kind, name);
        push(cpu, kind, name);
        int d = cpu.depth;
        boolean returned = false;
        try {
            handler.handle(cpu);
            returned = true;
        } finally {
            if (returned) {
                exitAfterReturn(cpu, d, kind);
            } else {
                unwindTo(cpu, d - 1); // the handler's own exception propagates
            }
        }
        cpu.interrupts.afterExit(cpu, kind);
    }

    private void exitAfterReturn(Cpu cpu, int d, ContextKind kind) {
        if (cpu.depth != d) {
            String open = cpu.contextStack();
            unwindTo(cpu, d - 1);
            throw Misuse.cpu(LockMisuseException.ContextOrder::new, cpu,
                    kind.kernelName() + " handler returned with contexts still open: " + open);
        }
        try {
            checkLeaks(cpu, d);
        } finally {
            unwindTo(cpu, d - 1);
        }
    }

    private void checkLeaks(Cpu cpu, int d) {
        int leakedId = cpu.held.heldAt(d);
        if (leakedId != 0) {
            KernelLock leaked = cpu.machine().lockById(leakedId);
            throw Misuse.lock(LockMisuseException.HandlerLeak::new, cpu, leaked, cpu.ownerTag,
                    "held on return from " + cpu.contextName());
        }
        int expected = savedPreempt[P + d] + entryOffset(kinds[P + d]);
        if (cpu.preemptCount != expected) {
            throw Misuse.cpu(LockMisuseException.HandlerLeak::new, cpu, "preempt_count leak: "
                    + cpu.contextName() + " returns with " + PreemptCount.describe(cpu.preemptCount)
                    + ", entered with " + PreemptCount.describe(expected));
        }
    }

    private void unwindTo(Cpu cpu, int target) {
        while (cpu.depth > target) {
            pop(cpu);
        }
    }

    private void pop(Cpu cpu) {
        int d = cpu.depth;
        Tracer t = cpu.tracer;
        if (t != null) {
            t.leaving(cpu);
        }
        cpu.held.orphan(d);
        cpu.irqFlags.dropAt(d);
        cpu.restoreState(savedPreempt[P + d], savedIrqs[P1 + d]);
        if (kinds[P + d] == ContextKind.PROBE) {
            cpu.probeDepth--;
        }
        kinds[P + d] = null;
        names[P + d] = null;
        cpu.depth = d - 1;
        cpu.ownerTag = OwnerTag.of(cpu.id(), d - 1);
    }
}
