package io.ctxlock.api;

import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * A CPU's interrupt controller: the mailbox any thread raises into, and the pending interrupts
 * that the CPU has taken from it but may not run yet (a hardirq while the flag is clear).
 *
 * <p><b>Implementation notes.</b> The mailbox is a JCTools MPSC array queue: raising allocates
 * nothing and is lock-free for any number of producers. Only the CPU's bound thread consumes, and
 * it uses {@code relaxedPeek}/{@code relaxedPoll}: a producer on another thread that has claimed
 * a slot but not yet written it makes {@code poll} spin until it does, and an interrupt point must
 * never wait on another thread; the relaxed calls see nothing yet, and the interrupt is taken at a
 * later point, as a real one raised a moment later would be. Pending interrupts sit in one plain FIFO ring per kind,
 * touched only by the bound thread, so delivery order is NMI, probe, hardirq, softirq, and FIFO
 * within a kind. Each raise is delivered exactly once. Under an interrupt storm with interrupts
 * disabled, a full ring leaves the rest in the mailbox (so a raiser sees backpressure, never a lost
 * interrupt); an NMI queued behind such a hardirq then waits for it.
 *
 * <p><b>Hardware rules.</b> An NMI is taken only outside NMI: one raised while an NMI runs is
 * latched and runs right after that NMI returns (x86 blocks NMIs until {@code iret}, and latches
 * one; the model latches each raise, so none is lost). A hardirq is taken with interrupts on and
 * outside hardirq context. A softirq is taken outside interrupt context with interrupts on, and
 * also when a hardirq frame is left and {@code !in_interrupt()} holds ({@code irq_exit()} ->
 * {@code invoke_softirq()}), however the frame was entered. A probe that would run inside itself
 * is skipped and counted (see {@link ContextFrames}).
 */
final class InterruptController {
    private final MpscVarHandleArrayQueue<Interrupt> mailbox;
    private final Ring nmi;
    private final Ring probe;
    private final Ring hardirq;
    private final Ring softirq;
    private int pending; // plain; bound thread only; total in the four rings
    private volatile boolean fullLogged; // any raising thread; racy printk_once

    InterruptController(int capacity) {
        this.mailbox = new MpscVarHandleArrayQueue<>(capacity);
        int ring = mailbox.capacity();
        this.nmi = new Ring(ring);
        this.probe = new Ring(ring);
        this.hardirq = new Ring(ring);
        this.softirq = new Ring(ring);
    }

    /** Any thread. */
    boolean offer(Interrupt interrupt) {
        return mailbox.offer(interrupt);
    }

    /** Any thread, when {@link #offer} failed: the splat (written once per CPU, like printk_once) to throw. */
    LockMisuseException.MailboxFull full(Cpu cpu, Interrupt interrupt) {
        String text = "BUG: interrupt mailbox full on CPU#" + cpu.id() + ": " + interrupt + " not queued";
        if (!fullLogged) {
            fullLogged = true;
            cpu.machine().kernelLog().append(cpu.id(), "-", "-", text);
        }
        return new LockMisuseException.MailboxFull(text, "-", cpu.id(), "-");
    }

    /** Bound thread: whether anything is pending or in the mailbox. */
    boolean hasWork() {
        return pending != 0 || !mailbox.isEmpty();
    }

    /** Bound thread, at an interrupt point: runs every interrupt the CPU may take here. */
    void deliver(Cpu cpu) {
        for (;;) {
            pull(cpu);
            Interrupt next = next(cpu);
            if (next == null) {
                return;
            }
            pending--;
            cpu.frames.run(cpu, next.kind(), next.name(), next.handler());
        }
    }

    /** Bound thread: {@code Cpu.run(NMI)} while in NMI; the NMI runs when the running one returns. */
    void latch(Cpu cpu, Interrupt nmiToLatch) {
        nmi.add(cpu, nmiToLatch);
        pending++;
    }

    /**
     * Bound thread, right after a frame of {@code left} was popped on a normal return: the latched
     * NMI after an NMI's {@code iret}, the pending softirqs at a hardirq's {@code irq_exit()}.
     * Not an interrupt point: nothing else is delivered here.
     */
    void afterExit(Cpu cpu, ContextKind left) {
        if (left != ContextKind.NMI && left != ContextKind.HARDIRQ || !hasWork()) {
            return;
        }
        pull(cpu);
        if (left == ContextKind.NMI) {
            if (!nmi.isEmpty() && !PreemptCount.inNmi(cpu.preemptCount)) {
                pending--;
                Interrupt in = nmi.poll(); // its own return runs the next latched one
                cpu.frames.run(cpu, in.kind(), in.name(), in.handler());
            }
            return;
        }
        while (!softirq.isEmpty() && cpu.irqsEnabled && !PreemptCount.inInterrupt(cpu.preemptCount)) {
            pending--;
            Interrupt in = softirq.poll();
            cpu.frames.run(cpu, in.kind(), in.name(), in.handler());
        }
    }

    /** Moves what the mailbox holds into the per-kind rings, as far as they have room. */
    private void pull(Cpu cpu) {
        Interrupt in;
        while ((in = mailbox.relaxedPeek()) != null && !ring(in.kind()).isFull()) {
            ring(in.kind()).add(cpu, mailbox.relaxedPoll());
            pending++;
        }
    }

    private Interrupt next(Cpu cpu) {
        int count = cpu.preemptCount;
        if (!nmi.isEmpty() && !PreemptCount.inNmi(count)) {
            return nmi.poll();
        }
        if (!probe.isEmpty()) {
            return probe.poll();
        }
        if (cpu.irqsEnabled) {
            if (!hardirq.isEmpty() && !PreemptCount.inHardirq(count)) {
                return hardirq.poll();
            }
            if (!softirq.isEmpty() && !PreemptCount.inInterrupt(count)) {
                return softirq.poll();
            }
        }
        return null;
    }

    private Ring ring(ContextKind kind) {
        switch (kind) {
            case NMI:
                return nmi;
            case PROBE:
                return probe;
            case HARDIRQ:
                return hardirq;
            default:
                return softirq;
        }
    }

    /** A plain FIFO of interrupts; bound thread only. */
    private static final class Ring {
        private final Interrupt[] items;
        private int head;
        private int size;

        Ring(int capacity) {
            items = new Interrupt[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        boolean isFull() {
            return size == items.length;
        }

        void add(Cpu cpu, Interrupt in) {
            if (size == items.length) {
                throw Misuse.cpu(LockMisuseException.MailboxFull::new, cpu,
                        items.length + " " + in.kind().kernelName() + " interrupts pending, " + in + " not queued");
            }
            items[(head + size) % items.length] = in;
            size++;
        }

        Interrupt poll() {
            Interrupt in = items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            size--;
            return in;
        }
    }
}
