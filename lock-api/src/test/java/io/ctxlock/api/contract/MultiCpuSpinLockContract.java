package io.ctxlock.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctxlock.api.Backend;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of a backend with more than one CPU, each CPU on its own thread: mutual exclusion
 * under contention, OTHER_CPU for a trylock against another CPU's hold, arrival order for a FIFO
 * backend, and the lockup report with the state it leaves. Published in lock-api's test-jar next
 * to {@link SpinLockContract}, which a multi-CPU backend runs too (on CPU0). Threads are sequenced
 * with latches and the point observer, never with sleeps; the lockup bound is a failure detector.
 */
public abstract class MultiCpuSpinLockContract {
    /** The backend under test, its lockup bound (spinning longer is a {@link LockupException}) set. */
    protected abstract Backend backend(Duration lockupTimeout);

    /**
     * Whether waiters are served in arrival order (a ticket lock). Such a backend also keeps the
     * ticket of a waiter that gave up with a lockup, so the lock never comes free again.
     */
    protected abstract boolean fifo();

    private Machine machine(int cpus, Duration lockup) {
        return Machine.builder().cpus(cpus).backend(backend(lockup)).build();
    }

    @Test
    void twoCpusHammeringOneLockLoseNoIncrement() throws Exception {
        Machine m = machine(2, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("counter_lock");
        int[] counter = new int[1]; // plain: guarded by lock
        int rounds = 20_000;
        Consumer<Cpu> body = cpu -> {
            for (int r = 0; r < rounds; r++) {
                if ((r & 1) == 0) {
                    while (!lock.tryLock(cpu)) {
                        Thread.onSpinWait();
                    }
                } else {
                    lock.lock(cpu);
                }
                counter[0]++;
                lock.unlock(cpu);
            }
            assertEquals(0, cpu.preemptCount());
        };
        OnCpu a = OnCpu.start(m.cpu(0), body);
        OnCpu b = OnCpu.start(m.cpu(1), body);
        a.join();
        b.join();
        OnCpu.start(m.cpu(0), cpu -> {
            lock.lock(cpu); // acquire: both threads' increments are visible here
            assertEquals(2 * rounds, counter[0]);
            lock.unlock(cpu);
        }).join();
    }

    @Test
    void everyTrylockVariantAgainstAnotherCpusHoldFailsWithOtherCpuAndChangesNothing() throws Exception {
        Machine m = machine(2, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("zone->lock");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        OnCpu holder = holdOnCpu0(m, lock, held, tried, new CountDownLatch(1));
        OnCpu.start(m.cpu(1), cpu -> {
            await(held);
            try {
                assertEquals(TryResult.OTHER_CPU, lock.tryLockDetailed(cpu));
                assertEquals(SpinLock.TRYLOCK_FAILED, lock.tryLockIrqSave(cpu));
                assertEquals(TryResult.OTHER_CPU, cpu.lastTryFailure());
                assertFalse(lock.tryLockBh(cpu));
                assertFalse(lock.isHeldByCurrentContext(cpu));
                assertEquals(0, cpu.preemptCount());
                assertFalse(cpu.irqsDisabled());
                assertEquals("none", cpu.heldLocks());
            } finally {
                tried.countDown();
            }
        }).join();
        holder.join();
        OnCpu.start(m.cpu(1), cpu -> {
            assertEquals(TryResult.ACQUIRED, lock.tryLockDetailed(cpu), "released by CPU0");
            lock.unlock(cpu);
        }).join();
    }

    /**
     * CPU1 queues first and is then held at its spin point until CPU2 has had its chance at the
     * released lock: CPU2 has looked at the word after the release and spun on (its second spin
     * point after the release), or has taken it. A FIFO lock makes CPU2 wait for CPU1's turn; any
     * other lock lets CPU2 in first, and the order reads [2, 1].
     */
    @Test
    void waitersOfAFifoBackendAreServedInArrivalOrder() throws Exception {
        assumeTrue(fifo(), "FIFO backends only");
        Machine m = machine(3, Duration.ofSeconds(30));
        SpinLock lock = m.newSpinLock("l");
        CountDownLatch[] spinning = {null, new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch cpu2HadItsChance = new CountDownLatch(1);
        int[] cpu2PointsAfterRelease = new int[1]; // CPU2's thread only
        m.setPointObserver((cpu, label, seq) -> {
            if (!label.equals("spin_lock:spin") || cpu.id() == 0) {
                return;
            }
            spinning[cpu.id()].countDown(); // the waiter holds its ticket, or its place, by now
            if (cpu.id() == 1) {
                await(cpu2HadItsChance);
            } else if (released.getCount() == 0 && ++cpu2PointsAfterRelease[0] == 2) {
                cpu2HadItsChance.countDown(); // it read the released word once and spun on: not its turn
            }
        });
        List<Integer> order = new ArrayList<>(); // guarded by lock
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        OnCpu holder = holdOnCpu0(m, lock, held, queued, released);
        await(held);
        Consumer<Cpu> waiter = cpu -> {
            lock.lock(cpu);
            order.add(cpu.id());
            cpu2HadItsChance.countDown(); // CPU2 took it: its chance, had
            lock.unlock(cpu);
        };
        OnCpu first = OnCpu.start(m.cpu(1), waiter);
        await(spinning[1]);
        OnCpu second = OnCpu.start(m.cpu(2), waiter);
        await(spinning[2]);
        queued.countDown();
        holder.join();
        first.join();
        second.join();
        OnCpu.start(m.cpu(0), cpu -> {
            lock.lock(cpu);
            assertEquals(List.of(1, 2), order, "CPU1 queued first");
            lock.unlock(cpu);
        }).join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "lock_irq", "lock_irqsave", "lock_bh"})
    void aLockupReportsTheHolderAndLeavesTheWaiterAsBeforeItsLock(String variant) throws Exception {
        Machine m = machine(2, Duration.ofMillis(200));
        SpinLock lock = m.newSpinLock("l");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch gaveUp = new CountDownLatch(1);
        OnCpu holder = holdOnCpu0(m, lock, held, gaveUp, new CountDownLatch(1));
        OnCpu.start(m.cpu(1), cpu -> {
            await(held);
            LockupException e;
            try {
                e = assertThrows(LockupException.class, () -> lockVariant(lock, cpu, variant));
            } finally {
                gaveUp.countDown();
            }
            assertEquals(1, e.cpu());
            assertEquals(0, e.holderCpu());
            assertEquals("l", e.lockName());
            assertTrue(e.getMessage().contains("holder: CPU#0 task, held locks: l (task)"), e.getMessage());
            assertEquals(0, cpu.preemptCount(), "the failed " + variant + " undid its preempt/bh disable");
            assertFalse(cpu.irqsDisabled(), "and its interrupt disable");
            assertEquals("none", cpu.heldLocks());
            long flags = cpu.localIrqSave(); // the flags stack is empty again: this save is the only one
            cpu.localIrqRestore(flags);
        }).join();
        holder.join();
        OnCpu.start(m.cpu(1), cpu -> {
            if (fifo()) {
                assertTrue(lock.isLocked(), "the abandoned ticket is never served");
                assertEquals(TryResult.OTHER_CPU, lock.tryLockDetailed(cpu));
            } else {
                assertFalse(lock.isLocked());
                assertEquals(TryResult.ACQUIRED, lock.tryLockDetailed(cpu));
                lock.unlock(cpu);
            }
        }).join();
    }

    private static void lockVariant(SpinLock lock, Cpu cpu, String variant) {
        switch (variant) {
            case "lock_irq":
                lock.lockIrq(cpu);
                break;
            case "lock_irqsave":
                lock.lockIrqSave(cpu);
                break;
            case "lock_bh":
                lock.lockBh(cpu);
                break;
            default:
                lock.lock(cpu);
                break;
        }
    }

    /** CPU0 takes {@code lock}, opens {@code held}, waits for {@code release}, unlocks, opens {@code released}. */
    private static OnCpu holdOnCpu0(Machine m, SpinLock lock, CountDownLatch held, CountDownLatch release,
            CountDownLatch released) {
        return OnCpu.start(m.cpu(0), cpu -> {
            lock.lock(cpu);
            held.countDown();
            await(release);
            lock.unlock(cpu);
            released.countDown();
        });
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("a latch the test waits for never opened: a hang in the code under test");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A thread that drives one CPU; {@link #join} rethrows what it threw. */
    static final class OnCpu {
        private final Thread thread;
        private volatile Throwable failure;

        private OnCpu(Cpu cpu, Consumer<Cpu> body) {
            thread = new Thread(() -> {
                try {
                    cpu.bindCurrentThread();
                    body.accept(cpu);
                    cpu.unbindThread();
                } catch (Throwable t) {
                    failure = t;
                }
            }, "CPU" + cpu.id());
            thread.setDaemon(true); // a CPU that hangs in the code under test must not keep the JVM alive
        }

        static OnCpu start(Cpu cpu, Consumer<Cpu> body) {
            OnCpu c = new OnCpu(cpu, body);
            c.thread.start();
            return c;
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(120));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still running: a hang in the code under test");
            }
            Throwable t = failure;
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new AssertionError(thread.getName() + " threw", t);
            }
        }
    }
}
