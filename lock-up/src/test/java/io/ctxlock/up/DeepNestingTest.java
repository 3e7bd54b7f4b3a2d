package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model's record of holders past the depths its lock word keeps (STATELESS keeps depths 0..31
 * in the word, DEBUG 0..22): a lock taken by the task and by a probe 40 contexts deep is held by
 * both, refused to each of them again, and free of both once they let go.
 */
class DeepNestingTest {
    private static final int DEEP = 40;

    @ParameterizedTest
    @EnumSource(value = UpMode.class, names = {"STATELESS", "DEBUG"})
    void aHoldFortyContextsDeepIsRecordedBesideTheWordAndForgottenAtItsUnlock(UpMode mode) {
        Machine m = Machine.builder().backend(UpBackend.create(mode)).build();
        Cpu cpu = m.cpu(0);
        SpinLock lock = m.newSpinLock("l");
        SpinLock other = m.newSpinLock("other"); // a neighbour id, whose record must stay apart
        if (mode == UpMode.STATELESS) {
            lock.lock(cpu); // STATELESS: the task holds it too, below the deep probe
        }
        int[] ran = {0};
        nest(cpu, 1, c -> {
            ran[0]++;
            assertEquals(DEEP, c.depth());
            assertEquals(TryResult.ACQUIRED, lock.tryLockDetailed(c));
            assertTrue(lock.isHeldByCurrentContext(c));
            assertFalse(other.isHeldByCurrentContext(c));
            assertEquals(TryResult.SAME_CONTEXT, lock.tryLockDetailed(c), "its own hold, from the table");
            assertTrue(other.tryLock(c));
            other.unlock(c);
            lock.unlock(c);
            assertFalse(lock.isHeldByCurrentContext(c));
            assertTrue(lock.tryLock(c), "free again for this depth");
            lock.unlock(c);
        });
        assertEquals(1, ran[0], "the innermost probe ran");
        if (mode == UpMode.STATELESS) {
            assertTrue(lock.isHeldByCurrentContext(cpu), "the task's bit in the word survived");
            lock.unlock(cpu);
        }
        assertEquals(TryResult.ACQUIRED, lock.tryLockDetailed(cpu));
        lock.unlock(cpu);
        // DEBUG reports the failed trylock on UP (the first report; debug_locks is off after it).
        assertEquals(mode == UpMode.DEBUG ? 1 : 0, m.kernelLog().size(), m.kernelLog().entries().toString());
        assertEquals(mode == UpMode.DEBUG, m.kernelLog().contains("BUG: spinlock trylock failure on UP"));
    }

    private static void nest(Cpu cpu, int depth, io.ctxlock.api.Handler innermost) {
        // tracepoint programs: only the same one is skipped (a kprobe under a kprobe would be)
        cpu.run(ContextKind.PROBE, "tp/p" + depth, c -> {
            if (depth == DEEP) {
                innermost.handle(c);
            } else {
                nest(c, depth + 1, innermost);
            }
        });
    }
}
