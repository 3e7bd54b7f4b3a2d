package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.contract.LockWords;
import io.ctxlock.api.spi.OwnerTag;
import org.junit.jupiter.api.Test;

/**
 * The ticket word's trylock when another CPU moved the word between the trylock's read and its
 * CAS, driven by hand with a stale read so that the race is taken in every run; and the word's
 * layout through the head's wrap (tail on top, head below it, the tag in the low half).
 */
class TicketWordTest {
    private final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create(SmpAlgorithm.TICKET)).build();
    private final SpinLock lock = m.newSpinLock("ticket");
    private final TicketWord word = (TicketWord) LockWords.of(lock); // the lock's own operations, driven by hand
    private final int cpu0 = OwnerTag.of(0, 0);
    private final int cpu1 = OwnerTag.of(1, 0);

    private static int ticketWord(int tail, int head, int tag) {
        return tail << 24 | head << 16 | tag;
    }

    @Test
    void aTrylockWhoseCasLosesToATakeOnTheOtherCpuFailsAndLeavesTheWinnersWord() {
        int seen = TicketWord.word(lock); // CPU1 reads: free
        assertEquals(0, seen);
        assertTrue(word.tryAcquire(lock, cpu0), "CPU0 takes it between CPU1's read and CPU1's CAS");
        int taken = TicketWord.word(lock);
        assertEquals(ticketWord(1, 0, cpu0), taken, "tail 1, head 0, CPU0's tag");
        assertFalse(word.tryAcquireFrom(lock, seen, cpu1), "CPU1's CAS on its stale read must fail");
        assertEquals(taken, TicketWord.word(lock), "the failed CAS wrote nothing");
        assertEquals(cpu0, word.owner(lock));
        assertTrue(word.isLocked(lock));
    }

    @Test
    void aTrylockWhoseCasLosesToATakeAndReleaseFailsAlthoughTheLockIsFreeAgain() {
        int seen = TicketWord.word(lock);
        assertTrue(word.tryAcquire(lock, cpu0));
        word.release(lock, cpu0); // head == tail again, one ticket further on
        int moved = TicketWord.word(lock);
        assertEquals(ticketWord(1, 1, 0), moved, "tail 1, head 1, no tag");
        assertFalse(word.tryAcquireFrom(lock, seen, cpu1), "arch_spin_trylock() returns its cmpxchg's failure");
        assertEquals(moved, TicketWord.word(lock));
        assertFalse(word.isLocked(lock));
        assertTrue(word.tryAcquire(lock, cpu1), "a fresh read succeeds");
        assertEquals(cpu1, word.owner(lock));
    }

    @Test
    void theTicketsWrapAroundWithoutACarryFromHeadIntoTail() {
        for (int i = 0; i < 600; i++) { // past the 8-bit head and tail, twice
            assertTrue(word.tryAcquire(lock, cpu0), "round " + i);
            assertFalse(word.tryAcquire(lock, cpu1), "round " + i);
            assertEquals(ticketWord((i + 1) & 0xff, i & 0xff, cpu0), TicketWord.word(lock), "taken, round " + i);
            word.release(lock, cpu0);
            assertEquals(ticketWord((i + 1) & 0xff, (i + 1) & 0xff, 0), TicketWord.word(lock), "released, round " + i);
            assertFalse(word.isLocked(lock), "round " + i);
        }
        assertEquals(OwnerTag.NO_OWNER, word.owner(lock));
    }
}
