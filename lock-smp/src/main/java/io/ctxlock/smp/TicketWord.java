package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A FIFO ticket spinlock whose one int word also carries the owner tag.
 *
 * <pre>
 *   bits  0..13  owner tag (0 while free or between hand-over and the new owner's tag store)
 *   bits 14..21  head: the ticket now served
 *   bits 22..29  tail: the next ticket to hand out
 * </pre>
 *
 * <p><b>Implementation notes.</b> As the kernel's ticket {@code arch_spin_trylock()}, a trylock
 * succeeds only when head == tail (nobody holds or waits) and then takes a ticket and sets the tag
 * in one acquire CAS. {@code lock()} takes a ticket with one getAndAdd, the kernel's {@code xadd}
 * (a carry out of the 8-bit tail goes to the two unused top bits, which every read masks off),
 * waits with acquire reads until head reaches it, then stores its tag with a CAS, since other CPUs
 * keep bumping the tail. Unlock clears the tag and bumps head in one release CAS (an add would
 * carry from head into tail at 0xff); the kernel's is a plain store to the head half-word, which
 * Java cannot do inside an int. While a new owner has not yet stored its tag, {@link #owner} reads
 * 0 and a failing trylock reports OTHER_CPU. That is exact for a trylock from another CPU, since no
 * interrupt point lies between the new owner's turn and its tag store; but a context nested on a
 * waiting CPU (taken at the spin point) after the lock was handed to the code it interrupted also
 * reads 0 and fails with OTHER_CPU, where NESTED would be truer (the kernel's trylock fails there
 * too, as the queue is not empty). A CPU that gives up with a soft lockup leaves its ticket behind: the
 * lock then never comes free for later waiters, as a kernel lock would stay stuck after a lockup.
 */
final class TicketWord extends LockWord {
    private static final VarHandle WORD;
    private static final int TAG_MASK = (1 << 14) - 1;
    private static final int HEAD_SHIFT = 14;
    private static final int TAIL_SHIFT = 22;
    private static final int FIELD = 0xff;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(TicketWord.class, "word", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String SPIN_LABEL = "spin_lock:spin";
    private final Spinner spinner;
    @SuppressWarnings("unused")
    private volatile int word; // VarHandle: CAS-acquire to take, CAS-release to free; see the layout above

    TicketWord(Spinner spinner) {
        this.spinner = spinner;
    }

    private static int head(int w) {
        return (w >>> HEAD_SHIFT) & FIELD;
    }

    private static int tail(int w) {
        return (w >>> TAIL_SHIFT) & FIELD;
    }

    private static int withTail(int w, int tail) {
        return (w & ~(FIELD << TAIL_SHIFT)) | ((tail & FIELD) << TAIL_SHIFT);
    }

    @Override
    public boolean tryAcquire(int tag) {
        return tryAcquireFrom((int) WORD.getOpaque(this), tag);
    }

    /**
     * The trylock's decision on the word as it read it, {@code seen}: the CAS fails, and the trylock
     * with it, when another CPU changed the word since (the kernel's {@code arch_spin_trylock()}
     * returns its cmpxchg's result too). Package-private so that a test can hand it a stale read.
     */
    boolean tryAcquireFrom(int seen, int tag) {
        if (head(seen) != tail(seen)) {
            return false;
        }
        int n = withTail(seen, tail(seen) + 1) | tag;
        return (int) WORD.compareAndExchangeAcquire(this, seen, n) == seen;
    }

    /** The raw word, for tests that build a stale read. */
    int word() {
        return (int) WORD.getVolatile(this);
    }

    @Override
    public void acquireContended(Cpu cpu, int tag, SpinLock lock) {
        int ticket = tail((int) WORD.getAndAdd(this, 1 << TAIL_SHIFT));
        int w;
        long start = System.nanoTime();
        while (head(w = (int) WORD.getAcquire(this)) != ticket) {
            spinner.pause(cpu, lock, SPIN_LABEL, w & TAG_MASK, start);
        }
        spinner.done(cpu);
        do {
            w = (int) WORD.getVolatile(this);
        } while (!WORD.compareAndSet(this, w, (w & ~TAG_MASK) | tag));
    }

    @Override
    public int owner() {
        return (int) WORD.getOpaque(this) & TAG_MASK;
    }

    @Override
    public boolean heldBy(int tag) {
        return ((int) WORD.getOpaque(this) & TAG_MASK) == tag;
    }

    @Override
    public void release(int tag) {
        int w;
        int n;
        do {
            w = (int) WORD.getVolatile(this);
            n = (w & ~TAG_MASK & ~(FIELD << HEAD_SHIFT)) | (((head(w) + 1) & FIELD) << HEAD_SHIFT);
        } while ((int) WORD.compareAndExchangeRelease(this, w, n) != w);
    }

    @Override
    public boolean isLocked() {
        int w = (int) WORD.getAcquire(this);
        return head(w) != tail(w);
    }
}
