package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.LockMisuseException;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two CPUs on two threads. Correctness only: threads are sequenced with latches and flags, and
 * no test asserts anything about time (the lockup bound is a failure detector, not a measurement).
 */
class SmpLockTest {
    private static Machine twoCpus(SmpAlgorithm a, Duration lockup) {
        return Machine.builder().cpus(2)
                .backend(SmpBackend.builder().algorithm(a).lockupTimeout(lockup).build()).build();
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void nmiFromCpu1FailsNestedWhileCpu1OwnTrylockFailsOtherCpu(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        SpinLock zone = m.newSpinLock("zone->lock");
        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean nmiDone = new AtomicBoolean();
        AtomicReference<TryResult> inNmi = new AtomicReference<>();
        CpuThread cpu0 = CpuThread.start(m.cpu(0), cpu -> {
            long flags = zone.lockIrqSave(cpu);
            held.countDown();
            while (!nmiDone.get()) {
                cpu.interruptPoint("zone:section"); // the NMI arrives here, interrupts or not
            }
            zone.unlockIrqRestore(cpu, flags);
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), cpu -> {
            try {
                held.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertEquals(TryResult.OTHER_CPU, zone.tryLockDetailed(cpu));
            m.cpu(0).raise(Interrupt.nmi("free_pages_nolock", c -> {
                inNmi.set(zone.tryLockDetailed(c));
                nmiDone.set(true);
            }));
        });
        cpu1.join();
        cpu0.join();
        assertEquals(TryResult.NESTED, inNmi.get());
        assertFalse(zone.isLocked());
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void aSpinnerProgressesWhileTheHolderTakesAnInterruptAndThenReleases(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("pcp->lock");
        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean irqHandled = new AtomicBoolean();
        java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
        CpuThread cpu0 = CpuThread.start(m.cpu(0), cpu -> {
            lock.lock(cpu);
            held.countDown();
            while (!irqHandled.get()) {
                cpu.interruptPoint("pcp:section");
            }
            events.add("CPU0 releases");
            lock.unlock(cpu);
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), cpu -> {
            try {
                held.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            m.cpu(0).raise(Interrupt.hardirq("eth0", c -> {
                events.add("CPU0 handles eth0");
                irqHandled.set(true);
            }));
            lock.lock(cpu); // spins until CPU0 has handled eth0 and released
            events.add("CPU1 acquires");
            assertTrue(lock.isHeldByCurrentContext(cpu));
            lock.unlock(cpu);
        });
        cpu0.join();
        cpu1.join();
        assertEquals(List.of("CPU0 handles eth0", "CPU0 releases", "CPU1 acquires"), List.copyOf(events),
                "the spinner got the lock only after the holder's interrupt and release");
        assertFalse(lock.isLocked());
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void abBaDeadlockEndsInAWatchdogReportAndAnExceptionOnBothCpus(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofMillis(300));
        SpinLock lockA = m.newSpinLock("A");
        SpinLock lockB = m.newSpinLock("B");
        CountDownLatch bothHold = new CountDownLatch(2);
        CountDownLatch bothGaveUp = new CountDownLatch(2);
        SpinLock[][] order = {{lockA, lockB}, {lockB, lockA}};
        CpuThread[] t = new CpuThread[2];
        for (int i = 0; i < 2; i++) {
            SpinLock first = order[i][0];
            SpinLock second = order[i][1];
            int id = i;
            t[i] = CpuThread.start(m.cpu(i), cpu -> {
                first.lock(cpu);
                try {
                    bothHold.countDown();
                    bothHold.await();
                    if (id == 1) {
                        Thread.sleep(2); // a head start for CPU0 that must change nothing
                    }
                    second.lock(cpu);
                } catch (LockupException e) {
                    // keep holding `first` until the other CPU has given up too: the first to give up
                    // must not hand its lock to the other, whatever the timing
                    bothGaveUp.countDown();
                    awaitQuietly(bothGaveUp);
                    assertEquals(1, cpu.preemptCount(), "the failed lock undid its preempt_disable");
                    first.unlock(cpu);
                    throw e;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (int i = 0; i < 2; i++) {
            LockupException e = assertThrows(LockupException.class, t[i]::join);
            assertEquals(i, e.cpu());
            assertEquals(1 - i, e.holderCpu());
            assertTrue(e.getMessage().contains("soft lockup - CPU#" + i), e.getMessage());
            assertTrue(e.getMessage().contains("held locks: " + order[i][0].name() + " (task)"), e.getMessage());
        }
        assertEquals(2, m.kernelLog().entries().stream().filter(x -> x.text().contains("soft lockup")).count());
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void interruptsRaisedIntoABusyCpuAreEachDeliveredOnce(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        int n = 20_000;
        int[] delivered = new int[n]; // written by CPU0's thread only
        AtomicBoolean allRaised = new AtomicBoolean();
        Interrupt[] irqs = new Interrupt[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            irqs[i] = (i % 3 == 0) ? Interrupt.nmi("nmi" + i, c -> delivered[id]++)
                    : Interrupt.hardirq("irq" + i, c -> delivered[id]++);
        }
        CpuThread cpu0 = CpuThread.start(m.cpu(0), cpu -> {
            while (!allRaised.get()) {
                long f = cpu.localIrqSave(); // hardirqs wait here, NMIs do not
                cpu.interruptPoint("busy:irqs-off");
                cpu.localIrqRestore(f);
            }
            cpu.interruptPoint("final");
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), cpu -> {
            for (Interrupt irq : irqs) {
                while (!m.cpu(0).tryRaise(irq)) {
                    if (!cpu0.thread().isAlive()) {
                        throw new IllegalStateException("CPU0 ended early", cpu0.failure());
                    }
                    Thread.onSpinWait(); // the mailbox is full: CPU0 drains it at its next point
                }
            }
            allRaised.set(true);
        });
        cpu1.join();
        cpu0.join();
        for (int i = 0; i < n; i++) {
            assertEquals(1, delivered[i], "interrupt " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void unlockFromAnotherCpuIsWrongCpuAndLocalLocksAreNotShared(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("a");
        LocalTryLock.PerCpu slab = m.newLocalTryLock("cpu_slab");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        CpuThread cpu0 = CpuThread.start(m.cpu(0), cpu -> {
            lock.lock(cpu);
            assertTrue(slab.thisCpu(cpu).tryLock(cpu));
            held.countDown();
            try {
                checked.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            slab.thisCpu(cpu).unlock(cpu);
            lock.unlock(cpu);
        });
        CpuThread cpu1 = CpuThread.start(m.cpu(1), cpu -> {
            try {
                held.await();
                assertThrows(LockMisuseException.WrongCpu.class, () -> lock.unlock(cpu));
                assertThrows(LockMisuseException.WrongCpu.class, () -> slab.of(0).tryLock(cpu));
                assertTrue(slab.thisCpu(cpu).tryLock(cpu), "CPU1's instance is its own");
                slab.thisCpu(cpu).unlock(cpu);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                checked.countDown();
            }
        });
        cpu1.join();
        cpu0.join();
        assertFalse(lock.isLocked());
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void crossCpuCallRunsOnTheTargetAndATimeoutReports(SmpAlgorithm a) throws Exception {
        Machine m = twoCpus(a, Duration.ofSeconds(30));
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch cpu1Blocked = new CountDownLatch(1);
        AtomicReference<String> answer = new AtomicReference<>();
        CpuThread cpu1 = CpuThread.start(m.cpu(1), cpu -> {
            while (!stop.get()) {
                cpu.interruptPoint("idle");
            }
            cpu.localIrqDisable(); // now it cannot answer an IPI
            cpu1Blocked.countDown();
            while (stop.get()) {
                Thread.onSpinWait();
            }
            cpu.localIrqEnable();
        });
        CpuThread cpu0 = CpuThread.start(m.cpu(0), cpu -> {
            answer.set(SmpCalls.callFunctionSingle(cpu, 1, c -> c.contextStack(), Duration.ofSeconds(30)));
            assertEquals("own", SmpCalls.callFunctionSingle(cpu, 0, c -> c.irqsDisabled() ? "own" : "?", Duration.ofSeconds(1)));
            stop.set(true);
            try {
                cpu1Blocked.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            LockupException e = assertThrows(LockupException.class,
                    () -> SmpCalls.callFunctionSingle(cpu, 1, c -> "late", Duration.ofMillis(100)));
            assertTrue(e.getMessage().contains("non-responsive CSD lock"), e.getMessage());
            stop.set(false);
        });
        cpu0.join();
        cpu1.join();
        assertEquals("task > hardirq(IPI:call_function_single)", answer.get());
        assertNotNull(m.kernelLog().entries().stream().filter(x -> x.text().contains("csd:")).findFirst().orElse(null));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
