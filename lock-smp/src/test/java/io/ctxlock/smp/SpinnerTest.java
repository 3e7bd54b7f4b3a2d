package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.junit.jupiter.api.Test;

/**
 * Each wait's backoff and lockup clock live in the slot of its context depth: a handler taken at
 * the spin point of an interrupted wait neither inherits nor resets that wait's count, a new wait
 * starts from zero whatever the last one at its depth left (a wait that ended by an exception never
 * ran to its end), and the clock is read from the first park on. Driven by hand on one thread: the
 * holder is another CPU of the same machine driven by the same thread, no timing involved.
 */
class SpinnerTest {
    private static final String SPIN = "spin_lock:spin";
    private final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create()).build();
    private final Cpu cpu = m.cpu(0);
    private final SpinLock lock = m.newSpinLock("l");

    private static SpinState stateOfCpu0(Spinner spinner) {
        try {
            java.lang.reflect.Field f = Spinner.class.getDeclaredField("states");
            f.setAccessible(true);
            return ((SpinState[]) f.get(spinner))[0];
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHandlerTakenAtTheSpinPointWaitsInItsOwnSlot() {
        Spinner spinner = new Spinner(m, Long.MAX_VALUE);
        SpinState s = stateOfCpu0(spinner);
        int[] handlerPauses = {5, 3};
        int[] run = {0};
        spinner.begin(cpu);
        for (int i = 0; i < 10; i++) {
            if (i == 4 || i == 7) { // two handlers, one after the other, each waiting at depth 1
                cpu.raise(Interrupt.hardirq("timer", c -> {
                    spinner.begin(c);
                    for (int k = 0; k < handlerPauses[run[0]]; k++) {
                        spinner.pause(c, lock, SPIN, 0);
                    }
                    assertEquals(handlerPauses[run[0]], s.pauses[SpinState.P + 1], "the handler's own count, from 0");
                    run[0]++;
                }));
            }
            spinner.pause(cpu, lock, SPIN, 0); // the interrupt point inside takes the handler
        }
        assertEquals(2, run[0], "both handlers ran at the spin point");
        assertEquals(10, s.pauses[SpinState.P], "the interrupted wait's count is its own");
    }

    @Test
    void aWaitIsALockupOnlyPastTheBoundCountedFromItsFirstParkAndANewWaitStartsAfresh() {
        Spinner spinner = new Spinner(m, 1); // 1 ns: any second look at the clock is past it
        SpinState s = stateOfCpu0(spinner);
        spinner.begin(cpu);
        for (int i = 0; i < Spinner.SPINS + Spinner.YIELDS; i++) {
            spinner.pause(cpu, lock, SPIN, 0); // the busy phase never reads the clock: no lockup
        }
        spinner.pause(cpu, lock, SPIN, 0); // the first park: the clock starts
        assertTrue(s.parkedSince[SpinState.PL] != 0, "the first park noted its time in the slot of depth 0");
        LockupException e = assertThrows(LockupException.class, () -> spinner.pause(cpu, lock, SPIN, 0));
        assertTrue(e.getMessage().contains("counted from its first park"), e.getMessage());
        spinner.begin(cpu); // the next wait: the last one ended by an exception
        for (int i = 0; i < Spinner.SPINS + Spinner.YIELDS + 1; i++) {
            spinner.pause(cpu, lock, SPIN, 0);
        }
        assertEquals(Spinner.SPINS + Spinner.YIELDS + 1, s.pauses[SpinState.P]);
        cpu.run(io.ctxlock.api.ContextKind.HARDIRQ, "timer", c -> { // the same at depth 1, in its own slot
            spinner.begin(c);
            for (int i = 0; i <= Spinner.SPINS + Spinner.YIELDS; i++) {
                spinner.pause(c, lock, SPIN, 0);
            }
            assertTrue(s.parkedSince[SpinState.PL + 1] != 0, "the handler's first park in the slot of depth 1");
            assertThrows(LockupException.class, () -> spinner.pause(c, lock, SPIN, 0));
        });
    }

    @Test
    void everyContendedLockBeginsItsOwnWait() {
        for (SmpAlgorithm a : SmpAlgorithm.values()) {
            Machine two = Machine.builder().cpus(2).backend(SmpBackend.builder().algorithm(a)
                    .lockupTimeout(java.time.Duration.ofNanos(1)).build()).build();
            SpinLock held = two.newSpinLock("held");
            held.lock(two.cpu(1)); // CPU1, driven by this thread too, holds it for good
            int[] spins = {0};
            two.setPointObserver((c, label, seq) -> spins[0] += SPIN.equals(label) ? 1 : 0);
            assertThrows(LockupException.class, () -> held.lock(two.cpu(0)));
            int first = spins[0];
            spins[0] = 0;
            SpinLock second = two.newSpinLock("second");
            second.lock(two.cpu(1));
            assertThrows(LockupException.class, () -> second.lock(two.cpu(0)));
            assertTrue(first > Spinner.SPINS + Spinner.YIELDS && spins[0] == first,
                    a + ": each wait spins and yields in full before its lockup, " + first + " then " + spins[0]);
        }
    }
}
