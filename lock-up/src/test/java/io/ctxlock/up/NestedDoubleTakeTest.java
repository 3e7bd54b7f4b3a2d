package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockMisuseException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.junit.jupiter.api.Test;

/**
 * Who holds a lock after a nested context took it under its holder and gave it back, in the two
 * UP modes in which the nested take succeeds. Non-debug keeps nothing in the kernel: the model's
 * shadow names the outer holder again, and only it. DEBUG_SPINLOCK's nested unlock sets the owner
 * to none and frees the one slock word, as debug_spin_unlock() does; only the model's record of
 * holds still knows the task is inside.
 */
class NestedDoubleTakeTest {
    private static final String HELD = "was held by the hardirq that already returned";

    @Test
    void statelessNamesTheInterruptedTaskAsOwnerAgainAndForgetsTheHandler() {
        Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATELESS)).build();
        Cpu cpu = m.cpu(0);
        SpinLock lock = m.newSpinLock("l");
        lock.lock(cpu);
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            lock.lock(c); // succeeds on UP non-debug: ___LOCK is (void)(lock)
            cpu.run(ContextKind.NMI, "perf", n -> {
                lock.lock(n);
                lock.unlock(n);
            });
            assertTrue(lock.isHeldByCurrentContext(c), "the hardirq still holds it after the NMI's unlock");
            LockMisuseException again = assertThrows(LockMisuseException.Recursion.class, () -> lock.lock(c));
            assertTrue(again.getMessage().contains(".owner: hardirq(eth0), .owner_cpu: 0"), again.getMessage());
            lock.unlock(c);
        });
        cpu.run(ContextKind.HARDIRQ, "eth1", c -> assertFalse(lock.isHeldByCurrentContext(c), HELD));
        assertTrue(lock.isHeldByCurrentContext(cpu));
        LockMisuseException e = assertThrows(LockMisuseException.Recursion.class, () -> lock.lock(cpu));
        assertTrue(e.getMessage().contains(".owner: task, .owner_cpu: 0"), "the task is the owner again: " + e.getMessage());
        lock.unlock(cpu);
        assertFalse(lock.isHeldByCurrentContext(cpu));
    }

    @Test
    void debugForgetsTheHandlerAndLeavesNoOwnerBehindTheFreedWord() {
        Machine m = Machine.builder().backend(UpBackend.create(UpMode.DEBUG)).build();
        Cpu cpu = m.cpu(0);
        SpinLock lock = m.newSpinLock("l");
        lock.lock(cpu);
        cpu.run(ContextKind.HARDIRQ, "eth0", c -> {
            lock.lock(c); // "spinlock recursion" reported, then the take proceeds
            lock.unlock(c); // debug_spin_unlock(): owner = SPINLOCK_OWNER_INIT, slock = 1
        });
        cpu.run(ContextKind.HARDIRQ, "eth1", c -> {
            assertFalse(lock.isHeldByCurrentContext(c), HELD);
            LockMisuseException e = assertThrows(LockMisuseException.class, () -> lock.unlock(c));
            assertTrue(e.getMessage().contains("already unlocked"), "no owner is left: " + e.getMessage());
        });
        assertTrue(lock.isHeldByCurrentContext(cpu), "the model still knows the task is inside");
        assertFalse(lock.isLocked());
        assertEquals(2, m.kernelLog().size(), "the recursion report and the unlock splat: " + m.kernelLog());
        lock.unlock(cpu);
    }
}
