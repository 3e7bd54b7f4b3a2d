package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.contract.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stepped machine's host API on lock-api's reference backend, whose contended lock waits
 * through the stepper: programs, steps, labels, the idle step, the end point of a nested step,
 * the schedules, decided lockups, the spin bound, and misuse refused with nothing changed.
 */
class StepperTest {
    private static Machine stepped(int cpus, Schedule s) {
        return Machine.builder().cpus(cpus).backend(new ReferenceBackend()).stepped(s).build();
    }

    private static List<String> listen(Stepper st) {
        List<String> log = new ArrayList<>();
        st.setListener(new Stepper.StepListener() {
            @Override
            public void stepped(int cpu, String label, boolean nested) {
                log.add(cpu + (nested ? " nested " : " ") + label);
            }

            @Override
            public void spun(int cpu, String waitingFor, int holderCpu) {
                log.add(cpu + " spins on " + waitingFor + " of " + holderCpu);
            }
        });
        return log;
    }

    @Test
    void aMachineIsSteppedOnlyWhenBuiltSo() {
        assertNull(Machine.builder().backend(new ReferenceBackend()).build().stepper());
        Machine m = stepped(2, Schedule.nonPreemptive());
        assertSame(m, m.stepper().machine());
        assertThrows(NullPointerException.class, () -> Machine.builder().stepped(null));
    }

    @Test
    void stepsRunInOrderAndEndAtTheirLabelledPoints() {
        Machine m = stepped(2, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        List<String> points = new ArrayList<>();
        m.setPointObserver((c, label, seq) -> points.add(c.id() + ":" + label));
        int[] x = new int[1];
        st.load(0, Program.of(Program.step("a", c -> x[0] += 1), Program.step("b", c -> x[0] *= 10)));
        assertArrayEquals(new int[] {0}, st.runnable());
        assertEquals(new CpuState(0, "task", m.cpu(0).heldLocks(), 0, false, null, 0, "a", false), st.state(0));
        assertEquals("a", st.step(0));
        assertEquals(1, x[0]);
        assertEquals("b", st.state(0).nextStep());
        assertEquals("b", st.step(0));
        assertEquals(10, x[0]);
        assertNull(st.state(0).nextStep());
        assertEquals(2, st.state(0).stepsDone());
        assertArrayEquals(new int[0], st.runnable());
        assertEquals("cpu_idle", st.step(0)); // a done CPU idles
        assertEquals("cpu_idle", st.step(1)); // so does one with no program
        assertEquals(List.of("0:a", "0:b", "0:cpu_idle", "1:cpu_idle"), points);
        assertEquals(4, st.events());
    }

    @Test
    void anInterruptRaisedOnADoneCpuMakesItRunnableAndItsIdleStepTakesIt() {
        Machine m = stepped(2, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        int[] taken = new int[1];
        st.raise(1, Interrupt.hardirq("timer", c -> taken[0]++));
        assertArrayEquals(new int[] {1}, st.runnable());
        assertEquals(1, st.run(10));
        assertEquals(1, taken[0]);
        assertArrayEquals(new int[0], st.runnable());
    }

    @Test
    void stepToRunsUpToALabelAheadAndRefusesOneThatIsNot() {
        Machine m = stepped(1, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        List<String> log = listen(st);
        st.load(0, Program.of(Program.step("x", c -> { }), Program.step("y", c -> { })).repeat(2));
        st.stepTo(0, "y");
        assertEquals(List.of("0 x", "0 y"), log);
        st.stepTo(0, "y");
        assertEquals(4, st.state(0).stepsDone());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.stepTo(0, "x"));
        assertTrue(e.getMessage().contains("CPU#0 has no step 'x' ahead"), e.getMessage());
        assertEquals(4, log.size());
    }

    @Test
    void aWaiterLendsTheThreadAndANestedStepsEndPointWaitsForItsCpusNextTurn() {
        Machine m = stepped(2, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        List<String> points = new ArrayList<>();
        m.setPointObserver((c, label, seq) -> points.add(c.id() + ":" + label));
        st.load(0, Program.of(Program.step("lock", l::lock), Program.step("unlock", l::unlock)));
        st.load(1, Program.of(Program.step("lock", l::lock), Program.step("unlock", l::unlock)));
        List<String> log = listen(st);
        st.step(0);
        assertEquals("lock", st.step(1));
        assertEquals(List.of("0 lock", "1 spins on L of 0", "0 nested unlock", "1 lock"), log);
        assertEquals(List.of("0:lock", "1:spin_lock:spin", "1:lock"), points); // CPU0's "unlock" point is pending
        assertTrue(st.state(1).heldLocks().contains("L"));
        assertArrayEquals(new int[] {0, 1}, st.runnable());
        st.step(0); // idle: passes the pending point first
        assertEquals(List.of("0:lock", "1:spin_lock:spin", "1:lock", "0:unlock", "0:cpu_idle"), points);
        assertArrayEquals(new int[] {1}, st.runnable());
    }

    @Test
    void everyCpuSpinningOnASpinnersLockIsADecidedLockup() {
        Machine m = stepped(2, Schedule.roundRobin());
        SpinLock a = m.newSpinLock("A");
        SpinLock b = m.newSpinLock("B");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("A", a::lock), Program.step("B", b::lock)));
        st.load(1, Program.of(Program.step("B", b::lock), Program.step("A", a::lock)));
        st.run(2);
        LockupException e = assertThrows(LockupException.class, () -> st.run(1));
        assertEquals(1, e.cpu());
        assertEquals("A", e.lockName());
        assertEquals(0, e.holderCpu());
        assertTrue(e.decided());
        assertTrue(e.getMessage().startsWith("watchdog: BUG: soft lockup - CPU#1 stuck for 1 spin iterations!"
                + " [spinning on A; no CPU can run a step]"), e.getMessage());
        assertTrue(e.getMessage().contains("\n spinning: CPU#0 task on B held by CPU#1"), e.getMessage());
        assertTrue(m.kernelLog().contains("no CPU can run a step"));
        assertNull(st.state(0).waitingFor()); // the waits ended with the exception
    }

    @Test
    void aWaitPastTheSpinBoundIsALockupEvenWithCpusToRun() {
        Machine m = stepped(2, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        st.setSpinBound(3);
        assertEquals(3, st.spinBound());
        assertThrows(IllegalArgumentException.class, () -> st.setSpinBound(0));
        st.load(0, Program.of(Program.step("lock", l::lock)));
        st.load(1, Program.of(Program.step("noop", c -> { })).repeat(10).then(Program.of(Program.step("lock", l::lock))));
        st.step(0);
        st.stepTo(1, "noop");
        st.load(0, Program.empty());
        st.load(1, Program.of(Program.step("lock", l::lock)));
        st.load(0, Program.of(Program.step("noop", c -> { })).repeat(10));
        LockupException e = assertThrows(LockupException.class, () -> st.step(1));
        assertTrue(e.getMessage().contains("stuck for 4 spin iterations! [spinning on L; past the stepper's bound]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\n CPU#0 runnable"), e.getMessage());
        assertFalse(e.decided());
        assertEquals(3, st.state(0).stepsDone());
    }

    @Test
    void eachWaitCountsItsOwnIterationsAndTheStateShowsItWhileItLasts() {
        Machine m = stepped(2, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        st.setSpinBound(2);
        Program holder = Program.of(Program.step("lock", l::lock), Program.step("work", c -> { }),
                Program.step("unlock", l::unlock));
        st.load(0, holder.repeat(2));
        st.load(1, Program.of(Program.step("lock", l::lock), Program.step("unlock", l::unlock)).repeat(2));
        List<String> seen = new ArrayList<>();
        st.setListener(new Stepper.StepListener() {
            @Override
            public void stepped(int cpu, String label, boolean nested) {
                seen.add(cpu + " " + label + " " + st.state(1).waitingFor());
            }
        });
        st.step(0);
        st.step(1); // two iterations: CPU0's "work" and "unlock" run inside them
        st.step(1);
        st.step(0);
        st.step(1); // a second wait of two iterations: within the bound only if the count restarted
        assertEquals(List.of("0 lock null", "0 work L", "0 unlock L", "1 lock null", "1 unlock null", "0 lock null",
                "0 work L", "0 unlock L", "1 lock null"), seen);
    }

    @Test
    void aSpinnerUnderOneThatCouldGoOnIsNotReportedAsALockup() {
        Machine m = stepped(2, Schedule.nonPreemptive());
        SpinLock a = m.newSpinLock("A");
        SpinLock b = m.newSpinLock("B");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("lock B", b::lock), Program.step("lock A", a::lock)));
        st.load(1, Program.of(Program.step("lock A", a::lock), Program.step("unlock A, lock B", c -> {
            a.unlock(c);
            b.lock(c);
        })));
        st.step(0);
        st.step(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> st.step(0));
        assertTrue(e.getMessage().startsWith("CPU#0 waits for A and it is free, under CPU#1 spinning on B: this order"
                + " of steps cannot be replayed on one thread"), e.getMessage());
        assertFalse(m.kernelLog().contains("soft lockup"), "no lockup report for a run the kernel would survive");
    }

    @Test
    void theSchedulesPickAsDocumented() {
        int[] both = {0, 1};
        assertEquals(1, Schedule.nonPreemptive().choose(both, 1, false));
        assertEquals(0, Schedule.nonPreemptive().choose(new int[] {0}, 1, true));
        assertEquals(0, Schedule.nonPreemptive().choose(both, -1, false));
        assertEquals(1, Schedule.roundRobin().choose(both, 0, false));
        assertEquals(2, Schedule.roundRobin().choose(new int[] {0, 2}, 1, false));
        assertEquals(0, Schedule.roundRobin().choose(both, 1, false));
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        Schedule s1 = Schedule.seeded(5);
        Schedule s2 = Schedule.seeded(5);
        Schedule s3 = Schedule.seeded(6);
        int[] four = {0, 1, 2, 3};
        for (int i = 0; i < 40; i++) {
            a.add(s1.choose(four, 0, false));
            b.add(s2.choose(four, 0, false));
            c.add(s3.choose(four, 0, false));
        }
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.stream().allMatch(x -> x >= 0 && x < 4));
    }

    @Test
    void programsComposeAndNameTheirSteps() {
        Program p = Program.of(Program.step("a", c -> { }), Program.step("b", c -> { }));
        assertEquals("Program[a, b, a, b, a]", p.repeat(2).then(Program.of(List.of(p.step(0)))).toString());
        assertEquals(0, p.repeat(0).size());
        assertEquals(3, p.repeat(2).indexOf("b", 2));
        assertEquals(-1, p.indexOf("c", 0));
        assertEquals(0, p.indexOf("a", -5));
        assertEquals(0, Program.empty().size());
        assertThrows(IllegalArgumentException.class, () -> p.repeat(-1));
        assertThrows(NullPointerException.class, () -> Program.step(null, c -> { }));
        assertThrows(NullPointerException.class, () -> Program.step("a", null));
    }

    @Test
    void misuseIsRefusedWithTheCpuNamedAndNothingChanged() throws Exception {
        Machine m = stepped(2, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("nested step", c -> st.step(1))));
        st.load(1, Program.of(Program.step("b", c -> { })));
        IllegalStateException inside = assertThrows(IllegalStateException.class, () -> st.step(0));
        assertTrue(inside.getMessage().startsWith("step CPU#1 inside a step of CPU#0 (task)"), inside.getMessage());
        assertEquals(0, st.state(1).stepsDone());
        assertEquals(0, st.state(0).stepsDone()); // a step that threw is not done
        st.load(0, Program.of(Program.step("load", c -> st.load(0, Program.empty()))));
        IllegalStateException load = assertThrows(IllegalStateException.class, () -> st.step(0));
        assertTrue(load.getMessage().startsWith("CPU#0 is in a step (task)"), load.getMessage());
        assertThrows(IllegalStateException.class, () -> st.waitBegin(m.cpu(1)));
        assertThrows(IllegalStateException.class, () -> st.waitEnd(m.cpu(1)));
        IllegalStateException notInStep = assertThrows(IllegalStateException.class,
                () -> st.waitIteration(m.cpu(1), (SpinLock) null, "x", 0));
        assertTrue(notInStep.getMessage().contains("for CPU#1 (task), which is not in a step"), notInStep.getMessage());
        Machine other = stepped(1, Schedule.nonPreemptive());
        assertThrows(IllegalStateException.class, () -> st.waitBegin(other.cpu(0)));
        assertThrows(IllegalArgumentException.class, () -> st.load(2, Program.empty()));
        assertThrows(NullPointerException.class, () -> st.load(1, null));
        assertThrows(NullPointerException.class, () -> st.setSchedule(null));
        st.setSchedule((options, current, spinning) -> 7);
        IllegalStateException pick = assertThrows(IllegalStateException.class, () -> st.run(1));
        assertEquals("schedule picked CPU#7, not one of [0, 1]", pick.getMessage());
        assertEquals(0, st.state(1).stepsDone());
        Throwable[] fromOther = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                st.runnable();
            } catch (Throwable x) {
                fromOther[0] = x;
            }
        }, "intruder");
        t.start();
        t.join();
        assertTrue(fromOther[0] instanceof IllegalStateException
                && fromOther[0].getMessage().startsWith("runnable from thread 'intruder': the stepped"), String.valueOf(fromOther[0]));
        assertFalse(st.state(1).running());
    }
}
