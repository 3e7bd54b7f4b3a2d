package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Machine;
import io.ctxlock.api.spi.OwnerTag;
import org.junit.jupiter.api.Test;

/**
 * The ticket word's trylock when another CPU moved the word between the trylock's read and its
 * CAS, driven by hand with a stale read so that the race is taken in every run.
 */
class TicketWordTest {
    private final Machine m = Machine.builder().cpus(2).backend(SmpBackend.builder().build()).build();
    private final TicketWord word = new TicketWord(new Spinner(m, 1_000_000_000L));
    private final int cpu0 = OwnerTag.of(0, 0);
    private final int cpu1 = OwnerTag.of(1, 0);

    @Test
    void aTrylockWhoseCasLosesToATakeOnTheOtherCpuFailsAndLeavesTheWinnersWord() {
        int seen = word.word(); // CPU1 reads: free
        assertEquals(0, seen);
        assertTrue(word.tryAcquire(cpu0), "CPU0 takes it between CPU1's read and CPU1's CAS");
        int taken = word.word();
        assertEquals((1 << 22) | cpu0, taken, "tail 1, head 0, CPU0's tag");
        assertFalse(word.tryAcquireFrom(seen, cpu1), "CPU1's CAS on its stale read must fail");
        assertEquals(taken, word.word(), "the failed CAS wrote nothing");
        assertEquals(cpu0, word.owner());
        assertTrue(word.isLocked());
    }

    @Test
    void aTrylockWhoseCasLosesToATakeAndReleaseFailsAlthoughTheLockIsFreeAgain() {
        int seen = word.word();
        assertTrue(word.tryAcquire(cpu0));
        word.release(cpu0); // head == tail again, one ticket further on
        int moved = word.word();
        assertEquals((1 << 22) | (1 << 14), moved, "tail 1, head 1, no tag");
        assertFalse(word.tryAcquireFrom(seen, cpu1), "arch_spin_trylock() returns its cmpxchg's failure");
        assertEquals(moved, word.word());
        assertFalse(word.isLocked());
        assertTrue(word.tryAcquire(cpu1), "a fresh read succeeds");
        assertEquals(cpu1, word.owner());
    }

    @Test
    void theTicketsWrapAround() {
        for (int i = 0; i < 300; i++) { // past the 8-bit head and tail
            assertTrue(word.tryAcquire(cpu0), "round " + i);
            assertFalse(word.tryAcquire(cpu1), "round " + i);
            word.release(cpu0);
            assertFalse(word.isLocked(), "round " + i);
        }
        assertEquals(OwnerTag.NO_OWNER, word.owner());
    }
}
