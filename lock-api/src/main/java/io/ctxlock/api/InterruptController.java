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
final class InterruptController extends InterruptControllerFields {
    // 128 bytes after the fields (in InterruptControllerFields), see PerCpuPadding
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    InterruptController(int capacity) {
        super(capacity);
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
        return pending != 0 || mailbox.relaxedPeek() != null; // the consumer's idiom: no read of the producers' index
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

    /** A plain FIFO of interrupts; bound thread only; padded as the controller (item i is element P + i). */
    static final class Ring extends RingFields {
        private static final int P = PAD_4;
        byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
        byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
        byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
        byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
        byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
        byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
        byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
        byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

        Ring(int capacity) {
            super(capacity);
        }

        boolean isEmpty() {
            return size == 0;
        }

        boolean isFull() {
            return size == capacity;
        }

        void add(Cpu cpu, Interrupt in) {
            if (size == capacity) {
                throw Misuse.cpu(LockMisuseException.MailboxFull::new, cpu,
                        capacity + " " + in.kind().kernelName() + " interrupts pending, " + in + " not queued");
            }
            items[P + (head + size) % capacity] = in;
            size++;
        }

        Interrupt poll() {
            Interrupt in = items[P + head];
            items[P + head] = null;
            head = (head + 1) % capacity;
            size--;
            return in;
        }
    }

    /** The fields of a {@link Ring}, after the padding before them. */
    abstract static class RingFields extends PerCpuPadding {
        final int capacity;
        final Interrupt[] items;
        int head; // plain; bound thread only
        int size; // plain; bound thread only

        RingFields(int capacity) {
            this.capacity = capacity;
            this.items = new Interrupt[padded(capacity, PAD_4)];
        }
    }
}

/**
 * The consumer's fields of an {@link InterruptController} (its CPU's thread writes them on every
 * delivery), 128 bytes after the fields raising threads read.
 */
abstract class InterruptControllerFields extends InterruptControllerPad {
    final InterruptController.Ring nmi;
    final InterruptController.Ring probe;
    final InterruptController.Ring hardirq;
    final InterruptController.Ring softirq;
    int pending; //                     plain; bound thread only; total in the four rings

    InterruptControllerFields(int capacity) {
        super(capacity);
        int ring = mailbox.capacity();
        this.nmi = new InterruptController.Ring(ring);
        this.probe = new InterruptController.Ring(ring);
        this.hardirq = new InterruptController.Ring(ring);
        this.softirq = new InterruptController.Ring(ring);
    }
}

/** 128 bytes between the producers' fields and the consumer's. */
abstract class InterruptControllerPad extends InterruptControllerShared {
    byte h000, h001, h002, h003, h004, h005, h006, h007, h008, h009, h010, h011, h012, h013, h014, h015;
    byte h016, h017, h018, h019, h020, h021, h022, h023, h024, h025, h026, h027, h028, h029, h030, h031;
    byte h032, h033, h034, h035, h036, h037, h038, h039, h040, h041, h042, h043, h044, h045, h046, h047;
    byte h048, h049, h050, h051, h052, h053, h054, h055, h056, h057, h058, h059, h060, h061, h062, h063;
    byte h064, h065, h066, h067, h068, h069, h070, h071, h072, h073, h074, h075, h076, h077, h078, h079;
    byte h080, h081, h082, h083, h084, h085, h086, h087, h088, h089, h090, h091, h092, h093, h094, h095;
    byte h096, h097, h098, h099, h100, h101, h102, h103, h104, h105, h106, h107, h108, h109, h110, h111;
    byte h112, h113, h114, h115, h116, h117, h118, h119, h120, h121, h122, h123, h124, h125, h126, h127;

    InterruptControllerPad(int capacity) {
        super(capacity);
    }
}

/** What raising threads read and write: the mailbox (JCTools pads its own indices) and the full-report latch. */
abstract class InterruptControllerShared extends PerCpuPadding {
    final MpscVarHandleArrayQueue<Interrupt> mailbox;
    volatile boolean fullLogged; //     any raising thread; racy printk_once

    InterruptControllerShared(int capacity) {
        this.mailbox = new MpscVarHandleArrayQueue<>(capacity);
    }
}
