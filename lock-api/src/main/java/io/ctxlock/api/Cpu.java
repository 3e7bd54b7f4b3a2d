package io.ctxlock.api;

import io.ctxlock.api.spi.OwnerTag;

/**
 * One CPU of a {@link Machine}: its {@code preempt_count} (bit layout in {@link PreemptCount}), its
 * interrupt flag (kept apart, as {@code irqs_disabled()} reads a CPU flag and not the counter),
 * its stack of nested contexts, its held locks, and the mailbox that interrupts are raised into.
 *
 * <p><b>Threading.</b> A CPU is driven by one Java thread at a time: the first thread that uses it
 * is bound to it, and any other thread gets {@link LockMisuseException.WrongThread} until the
 * bound thread calls {@link #unbindThread()}. All state except the mailbox is plain fields that
 * only the bound thread touches. {@link #raise(Interrupt)} alone may be called from any thread.
 * The CPU is passed to every operation explicitly: a ThreadLocal lookup would cost more than a
 * whole UP lock and unlock.
 *
 * <p><b>Interrupt points.</b> Pending interrupts are delivered only at interrupt points: every
 * place that enables interrupts ({@link #localIrqEnable}, {@link #localIrqRestore},
 * {@link #localBhEnable} and the unlock variants that do the same) and every explicit
 * {@link #interruptPoint(String)}; and, when a frame is left, the NMI latched behind it or the
 * softirqs pending at {@code irq_exit()}. An NMI is delivered at the next point outside NMI
 * whatever the flag; a probe at the next point (skipped if it would run inside itself); a hardirq
 * at the next point with interrupts enabled outside hardirq context; a softirq at the next point
 * that is not in interrupt context and has interrupts enabled (where the kernel's
 * {@code irq_exit()} or {@code local_bh_enable()} would run it; ksoftirqd is not modeled).
 */
public final class Cpu extends CpuFields {
    // 128 bytes after the fields (in CpuFields), see PerCpuPadding
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    Cpu(Machine machine, int id, int mailboxCapacity) {
        super(machine, id, mailboxCapacity);
    }

    public int id() {
        return id;
    }

    public Machine machine() {
        return machine;
    }

    // ---- context queries (kernel: include/linux/preempt.h, irqflags.h) ----

    public int preemptCount() {
        return preemptCount;
    }

    public boolean inNmi() {
        return PreemptCount.inNmi(preemptCount);
    }

    public boolean inHardirq() {
        return PreemptCount.inHardirq(preemptCount);
    }

    public boolean inServingSoftirq() {
        return PreemptCount.inServingSoftirq(preemptCount);
    }

    public boolean inInterrupt() {
        return PreemptCount.inInterrupt(preemptCount);
    }

    /** {@code in_task()}: true inside a probe that probes task code, which is the point. */
    public boolean inTask() {
        return PreemptCount.inTask(preemptCount);
    }

    /** {@code irqs_disabled()}. */
    public boolean irqsDisabled() {
        return !irqsEnabled;
    }

    /** {@code preemptible()}: preempt_count zero and interrupts enabled. */
    public boolean preemptible() {
        return preemptCount == 0 && irqsEnabled;
    }

    /** How many kprobe/BPF handlers are running nested on this CPU (invisible to preempt_count). */
    public int probeDepth() {
        return probeDepth;
    }

    /** Nesting depth of the running context: 0 in the task, 1 in the first handler, ... */
    public int depth() {
        return depth;
    }

    /** The kind of the running context. */
    public ContextKind context() {
        return frames.kind(depth);
    }

    /** The running context as splats name it, e.g. {@code "NMI(perf)"}. */
    public String contextName() {
        return frames.name(depth);
    }

    /** The context at {@code depth} on this CPU, e.g. {@code "task"}. */
    public String frameName(int depth) {
        return depth >= 0 && depth <= this.depth ? frames.name(depth) : "?";
    }

    /** The stack of contexts, outermost first: {@code "task > hardirq(timer) > NMI(perf)"}. */
    public String contextStack() {
        return frames.stack(depth);
    }

    /** The held-lock stack, oldest first, with the context that holds each (lockdep's held_locks). */
    public String heldLocks() {
        return held.describe(this);
    }

    /**
     * Why this CPU's most recent failed trylock (any lock, any variant) failed, or null if none
     * has failed. Lets callers of the boolean and irqsave variants learn the reason without a
     * detailed call; written only on failure paths.
     */
    public TryResult lastTryFailure() {
        return lastTryFailure;
    }

    /**
     * Probe hits this CPU skipped because the probe would have run inside itself: the kernel's
     * {@code kp->nmissed} ({@code kprobes_inc_nmissed_count()}) and BPF's per-program
     * {@code misses} ({@code bpf_prog_inc_misses_counter()}) summed for the CPU.
     */
    public long probesMissed() {
        return probesMissed;
    }

    /** Interrupt points this CPU has passed, as numbered for {@link PointObserver}. */
    public long pointSeq() {
        return pointSeq;
    }

    // ---- preemption, interrupt flag, bottom halves ----

    /** {@code preempt_disable()}. */
    public void preemptDisable() {
        checkThread();
        preemptInc();
    }

    /** {@code preempt_enable()}; the reschedule it may do is not modeled. */
    public void preemptEnable() {
        checkThread();
        preemptDec();
    }

    /** {@code local_irq_disable()}. */
    public void localIrqDisable() {
        checkThread();
        irqsOff();
    }

    /** {@code local_irq_enable()}: an interrupt point. */
    public void localIrqEnable() {
        checkThread();
        irqsOn();
        point("local_irq_enable");
    }

    /** {@code local_irq_save()}: returns the flags token that {@link #localIrqRestore} takes. */
    public long localIrqSave() {
        checkThread();
        return irqFlags.save(this, 0);
    }

    /** {@code local_irq_restore()}: an interrupt point. Flags not from this context's save throw. */
    public void localIrqRestore(long flags) {
        localIrqRestore(flags, "local_irq_restore");
    }

    /** {@code local_irq_restore()} whose interrupt point carries the caller's (constant) label. */
    public void localIrqRestore(long flags, String pointLabel) {
        checkThread();
        int slot = irqFlags.find(this, null, 0, flags);
        irqFlags.restore(this, slot, pointLabel);
    }

    /** {@code local_bh_disable()}: adds SOFTIRQ_DISABLE_OFFSET. */
    public void localBhDisable() {
        checkThread();
        BottomHalves.disable(this, PreemptCount.SOFTIRQ_DISABLE_OFFSET);
    }

    /** {@code local_bh_enable()}: runs pending softirqs if that leaves no interrupt context. */
    public void localBhEnable() {
        checkThread();
        BottomHalves.enable(this, PreemptCount.SOFTIRQ_DISABLE_OFFSET, "local_bh_enable");
    }

    // ---- contexts and interrupts ----

    /**
     * Enters a nested context, as {@code nmi_enter()}, {@code irq_enter()}, {@code __do_softirq()}
     * or a probe hit would. Allowed only where the hardware would deliver it: no NMI in NMI, no
     * hardirq in hardirq or with interrupts off, no softirq in interrupt context, no probe inside
     * itself (see {@link ContextFrames}); anything else is {@link LockMisuseException.InvalidContext},
     * and an entry that would overflow a preempt_count field is
     * {@link LockMisuseException.NestingOverflow}, with the CPU unchanged. Pair with {@link #exit}.
     */
    public void enter(ContextKind kind, String name) {
        checkThread();
        frames.enter(this, kind, name);
    }

    /**
     * Leaves the innermost context, which must be {@code kind} and must hold no lock. Leaving an
     * NMI runs a latched NMI; leaving a hardirq runs pending softirqs when that leaves no interrupt
     * context ({@code irq_exit()}).
     */
    public void exit(ContextKind kind) {
        checkThread();
        frames.exit(this, kind);
    }

    /**
     * Runs {@code handler} nested in a new context of {@code kind} now, as if the interrupt had
     * arrived here, and restores every piece of CPU state on return, also when the handler throws.
     * On return, as {@link #exit}: a latched NMI or the pending softirqs run. Two cases do not run
     * the handler now, as the hardware would not: an NMI while in NMI is latched and runs when the
     * running NMI returns, and a probe that would run inside itself is skipped and counted
     * ({@link #probesMissed()}).
     */
    public void run(ContextKind kind, String name, Handler handler) {
        checkThread();
        frames.run(this, kind, name, handler);
    }

    /**
     * Raises an interrupt on this CPU; it is delivered at this CPU's next interrupt point that may
     * take it. Callable from any thread; allocates nothing. A full mailbox throws
     * {@link LockMisuseException.MailboxFull} and queues nothing (the first one per CPU is also
     * written to the kernel log, like {@code printk_once}).
     */
    public void raise(Interrupt interrupt) {
        if (!interrupts.offer(interrupt)) {
            throw interrupts.full(this, interrupt);
        }
    }

    /** {@link #raise} for producers that retry: false, and nothing queued or logged, if the mailbox is full. */
    public boolean tryRaise(Interrupt interrupt) {
        return interrupts.offer(interrupt);
    }

    /** An explicit interrupt point, {@code label} naming the kernel code place it models. */
    public void interruptPoint(String label) {
        checkThread();
        point(label);
    }

    /** Binds the calling thread to this CPU (done implicitly by the first use). */
    public void bindCurrentThread() {
        checkThread();
    }

    /** Releases the binding so that another thread may drive this CPU. Task context only. */
    public void unbindThread() {
        checkThread();
        if (depth != 0) {
            throw Misuse.cpu(LockMisuseException.InvalidContext::new, this, "unbind of CPU thread in " + contextName());
        }
        unbind();
    }

    // ---- package-private helpers for the lock types ----

    void point(String label) {
        long seq = ++pointSeq;
        Tracer t = tracer;
        if (t != null) {
            t.point(this, label, seq);
        }
        PointObserver o = observer;
        if (o != null) {
            o.onPoint(this, label, seq);
        }
        if (interrupts.hasWork()) {
            interrupts.deliver(this);
        }
    }

    /** Records a hold by the running context; returns its held-lock slot. */
    int noteAcquired(KernelLock lock, int id, boolean trylock, int subclass, boolean trylockCanFail) {
        Lockdep v = lockdep;
        if (v != null) {
            v.acquired(this, lock, trylock, subclass, trylockCanFail);
        }
        int slot = held.push(id, depth);
        Tracer t = tracer;
        if (t != null) {
            t.acquired(this, lock);
        }
        return slot;
    }

    void noteReleased(KernelLock lock, int id) {
        Lockdep v = lockdep;
        if (v != null) {
            v.released(this, lock);
        }
        held.remove(id, depth);
        Tracer t = tracer;
        if (t != null) {
            t.released(this, lock);
        }
    }

    void noteTryFailed(KernelLock lock, TryResult why) {
        lastTryFailure = why;
        Tracer t = tracer;
        if (t != null) {
            t.tryFailed(this, lock, why);
        }
    }

    /** Sets the interrupt flag; if it was clear, {@code lockdep_hardirqs_on_prepare()} marks the held locks. */
    void irqsOn() {
        if (!irqsEnabled) {
            irqsEnabled = true;
            Lockdep v = lockdep;
            if (v != null) {
                v.hardirqsOn(this);
            }
        }
    }

    /** Clears the interrupt flag (interrupt entry, the irq lock variants, irqsave). */
    void irqsOff() {
        irqsEnabled = false;
    }

    /** Adds {@code offset} (bh-disable and context entry; the caller checked {@link PreemptCount#overflow}). */
    void preemptAdd(int offset) {
        preemptCount += offset;
    }

    /** Subtracts {@code offset} (bh-enable, undoing a failed lock_bh; the caller checked it is there). */
    void preemptSub(int offset) {
        preemptCount -= offset;
    }

    /**
     * Sets both with no lockdep event: a context's exit, an irqsave that never happened, and the
     * {@code local_irq_enable()} of {@code __do_softirq()} (whose lockdep event the model leaves out).
     */
    void restoreState(int preempt, boolean irqs) {
        preemptCount = preempt;
        irqsEnabled = irqs;
    }

    void preemptInc() {
        if ((preemptCount & PreemptCount.PREEMPT_MASK) == PreemptCount.PREEMPT_MASK) {
            throw Misuse.cpu(LockMisuseException.NestingOverflow::new, this, "preempt_count overflow: "
                    + PreemptCount.describe(preemptCount));
        }
        preemptCount++;
    }

    void preemptDec() {
        if ((preemptCount & PreemptCount.PREEMPT_MASK) == 0) {
            throw Misuse.cpu(LockMisuseException.PreemptUnderflow::new, this, "preempt_count underflow");
        }
        preemptCount--;
    }
}
