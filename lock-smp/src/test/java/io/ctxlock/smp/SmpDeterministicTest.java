package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.LockMisuseException;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SMP backend's contended paths driven by latches, so that every run takes the same path:
 * a trylock against a holder on the other CPU, interrupts taken while spinning (on a lock and on a
 * cross-CPU call), the lockup report's figures, the backend's configuration and its CPU threads.
 */
class SmpDeterministicTest {
    private static Machine twoCpus(SmpAlgorithm a, Duration lockup) {
        return Machine.builder().cpus(2).backend(SmpBackend.builder().algorithm(a).lockupTimeout(lockup).build()).build();
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("a latch never opened: a hang in the code under test");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void aTrylockAgainstAHolderOnTheOtherCpuFailsOtherCpuAndSucceedsAfterTheRelease(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("l");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        TryResult[] seen = new TryResult[2];
        CpuThread cpu0 = CpuThread.start(m.cpu(0), c -> {
            lock.lock(c);
            held.countDown();
            await(tried);
            lock.unlock(c);
            released.countDown();
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), c -> {
            await(held);
            seen[0] = lock.tryLockDetailed(c);
            assertEquals(0, c.preemptCount(), "a failed trylock leaves nothing behind");
            tried.countDown();
            await(released);
            seen[1] = lock.tryLockDetailed(c);
            lock.unlock(c);
        });
        cpu0.join();
        cpu1.join();
        assertEquals(TryResult.OTHER_CPU, seen[0]);
        assertEquals(TryResult.ACQUIRED, seen[1]);
        assertFalse(lock.isLocked(), "the word is free again after the unlock");
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void aSpinningCpuTakesAnNmiAndAHardirqAtItsSpinPoint(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("l");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(2);
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        CpuThread cpu0 = CpuThread.start(m.cpu(0), c -> {
            lock.lock(c);
            held.countDown();
            await(handled); // release only once CPU1 has taken both interrupts while spinning
            events.add("CPU0 releases");
            lock.unlock(c);
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), c -> {
            await(held);
            c.raise(Interrupt.nmi("perf", n -> {
                events.add("NMI on CPU1 in " + n.contextStack());
                handled.countDown();
            }));
            c.raise(Interrupt.hardirq("timer", h -> {
                events.add("hardirq on CPU1 in " + h.contextStack());
                handled.countDown();
            }));
            lock.lock(c); // spins: the only points that can deliver them are its spin points
            events.add("CPU1 acquires");
            lock.unlock(c);
        });
        cpu0.join();
        cpu1.join();
        assertEquals(List.of("NMI on CPU1 in task > NMI(perf)", "hardirq on CPU1 in task > hardirq(timer)",
                "CPU0 releases", "CPU1 acquires"), List.copyOf(events));
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void aWaiterSpinningOnTheOtherCpuIsHandedTheLockAtTheReleaseAndTheWordComesFreeAfterIt(SmpAlgorithm a)
            throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("l");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        TryResult[] seen = new TryResult[2];
        CpuThread cpu0 = CpuThread.start(m.cpu(0), c -> {
            lock.lock(c);
            held.countDown();
            await(spinning); // CPU1 is at its spin point: its ticket is taken (TICKET), it reads the word (TTAS)
            seen[0] = lock.tryLockDetailed(c);
            lock.unlock(c);
            await(acquired);
            seen[1] = lock.tryLockDetailed(c); // CPU1 holds it now
            checked.countDown();
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), c -> {
            await(held);
            c.raise(Interrupt.hardirq("ipi", h -> spinning.countDown()));
            lock.lock(c);
            acquired.countDown();
            await(checked);
            lock.unlock(c);
        });
        cpu0.join();
        cpu1.join();
        assertEquals(TryResult.SAME_CONTEXT, seen[0], "the holder's own trylock, with a waiter queued");
        assertEquals(TryResult.OTHER_CPU, seen[1], "the waiter was handed the lock");
        assertFalse(lock.isLocked(), "head caught up with tail: free for the next taker");
        CpuThread again = CpuThread.start(m.cpu(0), c -> {
            assertEquals(TryResult.ACQUIRED, lock.tryLockDetailed(c));
            lock.unlock(c);
        });
        again.join();
    }

    @Test
    void theLockupReportSaysHowLongTheCpuWaitedInMilliseconds() throws Exception {
        Machine m = twoCpus(SmpAlgorithm.TTAS, Duration.ofMillis(200));
        SpinLock lock = m.newSpinLock("l");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch gaveUp = new CountDownLatch(1);
        CpuThread cpu0 = CpuThread.start(m.cpu(0), c -> {
            lock.lock(c);
            held.countDown();
            await(gaveUp);
            lock.unlock(c);
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), c -> {
            await(held);
            try {
                lock.lock(c);
            } finally {
                gaveUp.countDown();
            }
        });
        LockupException e = assertThrows(LockupException.class, cpu1::join);
        cpu0.join();
        Matcher ms = Pattern.compile("stuck for (\\d+)ms!").matcher(e.getMessage());
        assertTrue(ms.find(), e.getMessage());
        long waited = Long.parseLong(ms.group(1));
        assertTrue(waited >= 200 && waited < 60_000, "reported " + waited + " ms for a 200 ms bound");
        assertEquals(0, e.holderCpu());
        assertTrue(e.getMessage().contains("holder: CPU#0 task, held locks: l (task)"), e.getMessage());
    }

    @Test
    void aCrossCpuCallWaitsAtAnInterruptPointThatTakesTheCallersOwnInterrupts() throws Exception {
        Machine m = twoCpus(SmpAlgorithm.TTAS, Duration.ofSeconds(30));
        CountDownLatch nmiTaken = new CountDownLatch(1);
        CountDownLatch calleeMayRun = new CountDownLatch(1);
        int[] result = new int[1];
        String[] lastPoint = new String[1]; // CPU0's thread only
        String[] nmiAt = new String[1];
        m.setPointObserver((c, label, seq) -> {
            if (c.id() == 0) {
                lastPoint[0] = label;
            }
        });
        CpuThread target = CpuThread.start(m.cpu(1), c -> {
            await(calleeMayRun); // passes points only once the caller has taken its NMI
            c.interruptPoint("target:idle");
        });
        CpuThread caller = CpuThread.start(m.cpu(0), c -> {
            c.raise(Interrupt.nmi("perf", n -> {
                nmiAt[0] = lastPoint[0];
                nmiTaken.countDown(); // while the caller waits for CPU1
                calleeMayRun.countDown();
            }));
            result[0] = SmpCalls.callFunctionSingle(c, 1, t -> t.id() * 10 + 7, Duration.ofSeconds(30));
        });
        caller.join();
        target.join();
        assertEquals(0, nmiTaken.getCount());
        assertEquals("smp_call_function_single:wait", nmiAt[0], "taken at the wait's point");
        assertEquals(17, result[0]);
    }

    @Test
    void aCrossCpuCallWithInterruptsDisabledIsRefusedAndLogged() throws Exception {
        Machine m = twoCpus(SmpAlgorithm.TTAS, Duration.ofSeconds(30));
        CpuThread caller = CpuThread.start(m.cpu(0), c -> {
            c.localIrqDisable();
            try {
                SmpCalls.callFunctionSingle(c, 1, t -> 1, Duration.ofSeconds(1));
            } finally {
                c.localIrqEnable();
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, caller::join);
        assertTrue(e.getMessage().contains("with interrupts disabled on CPU#0"), e.getMessage());
        assertTrue(m.kernelLog().contains("WARNING: smp_call_function_single with interrupts disabled"));
    }

    @Test
    void theBackendSaysWhatItIsAndAPerClassAlgorithmApplies() {
        SmpBackend plain = SmpBackend.create();
        assertEquals(SmpAlgorithm.TTAS, plain.algorithm());
        assertEquals("SMP/TTAS", plain.name());
        assertEquals("SMP/TTAS", plain.toString());
        assertEquals(Duration.ofSeconds(10), plain.lockupTimeout());
        SmpBackend mixed = SmpBackend.builder().algorithm("zone->lock", SmpAlgorithm.TICKET).build();
        assertEquals("SMP/TTAS{zone->lock=TICKET}", mixed.name());
        Machine m = Machine.builder().cpus(2).backend(mixed).build();
        SpinLock zone = m.newSpinLock("zone#0", LockClass.of("zone->lock"));
        SpinLock other = m.newSpinLock("other");
        assertTrue(zone.toString().startsWith("SpinLock[zone#0"));
        assertEquals(SmpAlgorithm.TICKET, SmpBackend.create(SmpAlgorithm.TICKET).algorithm());
        assertThrows(IllegalArgumentException.class, () -> SmpBackend.builder().lockupTimeout(Duration.ZERO));
        assertFalse(zone.isLocked());
        assertFalse(other.isLocked());
    }

    @Test
    void aCpuThreadIsADaemonBoundToItsCpuAndKeepsTheFailureOfItsBody() throws Exception {
        Machine m = twoCpus(SmpAlgorithm.TTAS, Duration.ofSeconds(30));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        CpuThread t = CpuThread.start(m.cpu(1), c -> {
            running.countDown();
            await(checked);
            throw new IllegalStateException("body failed");
        });
        await(running);
        assertTrue(t.thread().isDaemon());
        assertEquals("CPU#1", t.thread().getName());
        assertThrows(LockMisuseException.WrongThread.class, () -> m.cpu(1).preemptDisable(),
                "the CPU is bound to its CpuThread while the body runs");
        checked.countDown();
        assertThrows(IllegalStateException.class, t::join);
        assertInstanceOf(IllegalStateException.class, t.failure());
    }
}
