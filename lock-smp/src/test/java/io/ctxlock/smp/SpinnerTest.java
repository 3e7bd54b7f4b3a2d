package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.junit.jupiter.api.Test;

/**
 * Each wait's backoff and lockup clock live in the slot of its context depth: a handler that waits
 * at the spin point of an interrupted wait neither inherits nor resets the interrupted wait's
 * count, and a new wait starts from zero whatever the last one at its depth left (a wait that ended
 * by an exception never ran to its end). Driven by hand: no second CPU, no timing.
 */
class SpinnerTest {
    private final Machine m = Machine.builder().cpus(2).backend(SmpBackend.create()).build();
    private final Cpu cpu = m.cpu(0);
    private final SpinLock lock = m.newSpinLock("l");
    private final Spinner spinner = new Spinner(m, Long.MAX_VALUE);

    private int pausesAt(int depth) {
        return stateOfCpu0().pauses[SpinState.P + depth];
    }

    private SpinState stateOfCpu0() {
        try {
            java.lang.reflect.Field f = Spinner.class.getDeclaredField("states");
            f.setAccessible(true);
            return ((SpinState[]) f.get(spinner))[0];
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHandlerWaitingAtTheSpinPointUsesItsOwnSlot() {
        spinner.begin(cpu);
        for (int i = 0; i < 10; i++) {
            spinner.pause(cpu, lock, "spin_lock:spin", 0);
        }
        cpu.run(ContextKind.HARDIRQ, "timer", c -> {
            spinner.begin(c);
            for (int i = 0; i < 3; i++) {
                spinner.pause(c, lock, "spin_lock:spin", 0);
            }
            assertEquals(3, pausesAt(1));
        });
        assertEquals(10, pausesAt(0), "the interrupted wait's count is its own");
        spinner.pause(cpu, lock, "spin_lock:spin", 0);
        assertEquals(11, pausesAt(0));
    }

    @Test
    void aNewWaitStartsFromZeroWhateverTheLastOneLeft() {
        spinner.begin(cpu);
        for (int i = 0; i < Spinner.SPINS + Spinner.YIELDS + 3; i++) { // into the parking phase
            spinner.pause(cpu, lock, "spin_lock:spin", 0);
        }
        assertEquals(Spinner.SPINS + Spinner.YIELDS + 3, pausesAt(0));
        long parkedSince = stateOfCpu0().parkedSince[SpinState.PL];
        spinner.begin(cpu); // the last wait ended without a word to the spinner (an exception, say)
        assertEquals(0, pausesAt(0));
        spinner.pause(cpu, lock, "spin_lock:spin", 0);
        assertEquals(1, pausesAt(0), "spinning again, no clock read");
        assertEquals(parkedSince, stateOfCpu0().parkedSince[SpinState.PL], "the clock slot is only set at a first park");
    }
}
