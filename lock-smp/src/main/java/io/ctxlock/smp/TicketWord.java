package io.ctxlock.smp;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * A FIFO ticket spinlock whose one int word also carries the owner tag; one instance per machine
 * serves every ticket lock, the word is the lock's own.
 *
 * <pre>
 *   bits  0..15  owner tag (0 while free or between hand-over and the new owner's tag add)
 *   bits 16..23  head: the ticket now served
 *   bits 24..31  tail: the next ticket to hand out (on top, as the kernel's x86 layout puts it,
 *                so that the carry of a take falls off the word)
 * </pre>
 *
 * <p><b>Implementation notes.</b> Every change of a held word is one {@code getAndAdd}, the kernel's
 * {@code xadd} (the x86 ticket spinlock of {@code arch/x86/include/asm/spinlock.h}, replaced by
 * qspinlock in v4.2: {@code arch_spin_lock()} takes its ticket with {@code xadd}):
 * <ul>
 * <li>take: {@code getAndAdd(1 << 24)}, the ticket is the old tail;
 * <li>publish the tag once head reaches the ticket: {@code getAndAdd(tag)}, exact because the tag bits
 *     are 0 then (the previous owner's release cleared them) and only the owner writes them;
 * <li>release: {@code getAndAddRelease(+1 << 16 - tag)}, or {@code -(0xff << 16) - tag} when head is
 *     0xff, so that head wraps to 0 without a carry into tail (the kernel adds to the head byte
 *     alone, which Java cannot do inside an int). Head and tag are the owner's own, so it reads them
 *     without a race; arriving waiters only add to tail, which no add of the releaser touches. An
 *     unlock never retries, however many CPUs queue.
 * </ul>
 * A trylock succeeds only when head == tail (nobody holds or waits) and then takes a ticket and
 * sets the tag in one acquire CAS, as the kernel's ticket {@code arch_spin_trylock()} (a cmpxchg).
 *
 * <p><b>Ordering</b>, the MP litmus test through a hand-over:
 * <pre>
 *   CPU0 (holder): x = 1; getAndAddRelease(word, head+1)
 *   CPU1 (waiter): while (head(getAcquire(word)) != ticket) spin; r = x
 *   forbidden: CPU1 leaves the loop and reads r == 0
 * </pre>
 * The release add orders the holder's critical section before the new head; the waiter's acquire
 * read of that head orders its critical section after it (release/acquire synchronise). The take
 * and the tag add are full {@code getAndAdd}s (x86 {@code lock xadd}), whose ordering the lock does
 * not rely on. jcstress runs the same shape ({@code SmpLock} tests, TICKET).
 *
 * <p>While a new owner has not yet added its tag, {@link #owner} reads 0 and a failing trylock
 * reports OTHER_CPU. That is exact for a trylock from another CPU, since no interrupt point lies
 * between the new owner's turn and its tag add; but a context nested on a waiting CPU (taken at the
 * spin point) after the lock was handed to the code it interrupted also reads 0 and fails with
 * OTHER_CPU, where NESTED would be truer (the kernel's trylock fails there too, as the queue is not
 * empty). A CPU that gives up with a soft lockup leaves its ticket behind: the lock then never comes
 * free for later waiters, as a kernel lock would stay stuck after a lockup. At most 255 tickets may
 * be out at once (8-bit tickets: 256 would make head equal tail again, a free-looking lock); the
 * backend allows {@link SmpBackend#MAX_CPUS} CPUs, each with one ticket per context.
 */
final class TicketWord extends LockWord {
    private static final int TAG_MASK = 0xffff;
    private static final int HEAD_SHIFT = 16;
    private static final int TAIL_SHIFT = 24;
    private static final int FIELD = 0xff;
    private static final String SPIN_LABEL = "spin_lock:spin";

    private final Spinner spinner;

    TicketWord(Machine machine, Spinner spinner) {
        super(machine);
        this.spinner = spinner;
    }

    private static int head(int w) {
        return (w >>> HEAD_SHIFT) & FIELD;
    }

    private static int tail(int w) {
        return w >>> TAIL_SHIFT;
    }

    @Override
    public boolean tryAcquire(SpinLock lock, int tag) {
        return tryAcquireFrom(lock, wordOpaque(lock), tag);
    }

    /**
     * The trylock's decision on the word as it read it, {@code seen}: the CAS fails, and the trylock
     * with it, when another CPU changed the word since (the kernel's {@code arch_spin_trylock()}
     * returns its cmpxchg's result too). Package-private so that a test can hand it a stale read.
     */
    boolean tryAcquireFrom(SpinLock lock, int seen, int tag) {
        if (head(seen) != tail(seen)) {
            return false;
        }
        return casWordAcquire(lock, seen, (seen + (1 << TAIL_SHIFT)) | tag) == seen;
    }

    /** The raw word, for tests that build a stale read and check the layout. */
    static int word(SpinLock lock) {
        return wordAcquire(lock);
    }

    @Override
    public void acquireContended(Cpu cpu, SpinLock lock, int tag) {
        spinner.begin(cpu);
        int ticket = tail(getAndAddWord(lock, 1 << TAIL_SHIFT));
        int w;
        while (head(w = wordAcquire(lock)) != ticket) {
            spinner.pause(cpu, lock, SPIN_LABEL, w & TAG_MASK);
        }
        getAndAddWord(lock, tag);
        spinner.end(cpu);
    }

    @Override
    public int owner(SpinLock lock) {
        return wordOpaque(lock) & TAG_MASK;
    }

    @Override
    public boolean heldBy(SpinLock lock, int tag) {
        return (wordOpaque(lock) & TAG_MASK) == tag;
    }

    @Override
    public boolean release(SpinLock lock, int tag) {
        int w = wordOpaque(lock);
        if ((w & TAG_MASK) != tag) {
            return false;
        }
        int head = head(w); // the owner's own field, as is the tag: no other CPU changes them
        getAndAddWordRelease(lock, (head == FIELD ? -(FIELD << HEAD_SHIFT) : 1 << HEAD_SHIFT) - tag);
        return true;
    }

    @Override
    public boolean isLocked(SpinLock lock) {
        int w = wordOpaque(lock); // spin_is_locked() orders nothing (the kernel's READ_ONCE)
        return head(w) != tail(w);
    }
}
