package io.ctxlock.api;

/**
 * A misuse of a lock or of a CPU's context state, reported like a kernel lock splat: the message
 * names the lock, the CPU, the context and the stack of contexts, and the same text is written to
 * the machine's {@link KernelLog}. The operation that throws leaves every structure as it was
 * before the call (the one exception, {@link HandlerLeak}, says what it leaves).
 *
 * <p>Each kind is its own subclass so that callers and tests can tell them apart by type.
 */
public class LockMisuseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String lockName;
    private final int cpu;
    private final String context;

    LockMisuseException(String splat, String lockName, int cpu, String context) {
        super(splat);
        this.lockName = lockName;
        this.cpu = cpu;
        this.context = context;
    }

    /** The lock concerned, or {@code "-"} for a misuse of the CPU's own state. */
    public String lockName() {
        return lockName;
    }

    /** The CPU the misuse happened on. */
    public int cpu() {
        return cpu;
    }

    /** The context the misuse happened in, e.g. {@code "NMI(perf)"}. */
    public String context() {
        return context;
    }

    /** Unlock of a lock nobody holds (kernel debug: "spinlock already unlocked"). */
    public static final class NotLocked extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        NotLocked(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** Unlock from a CPU other than the holder's (kernel debug: "spinlock wrong CPU"). */
    public static final class WrongCpu extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        WrongCpu(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /**
     * A CPU of one machine used on a lock of another: the model's locks belong to the machine that
     * made them (a kernel has one set of CPUs; two simulated machines must never meet).
     */
    public static final class WrongMachine extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        WrongMachine(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** Unlock from a context other than the one that locked (kernel debug: "spinlock wrong owner"). */
    public static final class WrongContext extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        WrongContext(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** An irqrestore with flags that the matching irqsave did not return. */
    public static final class BadIrqFlags extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        BadIrqFlags(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** {@code preempt_enable()} with a preempt depth of zero (kernel: preempt_count_sub's warning). */
    public static final class PreemptUnderflow extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        PreemptUnderflow(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** Nesting past what the hardware or kernel counts: a 16th NMI, MAX_LOCK_DEPTH, the frame stack. */
    public static final class NestingOverflow extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        NestingOverflow(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /**
     * A handler returned still holding a lock it took. The CPU is restored to the interrupted
     * context; the lock stays locked, as a leaked kernel lock does, and stays on the held-lock
     * stack so that later reports name it.
     */
    public static final class HandlerLeak extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        HandlerLeak(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** Leaving a context that is not the innermost one, or leaving the task context. */
    public static final class ContextOrder extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        ContextOrder(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /**
     * {@code lock()} of a lock held on the same CPU, by the caller's context or by one it
     * interrupted, which would spin forever (kernel debug: "spinlock recursion" / "cpu recursion").
     */
    public static final class Recursion extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        Recursion(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** A CPU driven from a thread other than the one bound to it. */
    public static final class WrongThread extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        WrongThread(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /**
     * An operation not allowed in the current context: a hardirq entered with interrupts
     * disabled, a softirq entered in interrupt context, a spinning lock from NMI under PREEMPT_RT.
     */
    public static final class InvalidContext extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        InvalidContext(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }

    /** A raise that found the target CPU's interrupt mailbox full: the interrupt was not queued. */
    public static final class MailboxFull extends LockMisuseException {
        private static final long serialVersionUID = 1L;

        MailboxFull(String s, String l, int c, String x) {
            super(s, l, c, x);
        }
    }
}
