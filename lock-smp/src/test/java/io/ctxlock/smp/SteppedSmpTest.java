package io.ctxlock.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.Schedule;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.Stepper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deterministic multi-CPU mode on the SMP locks: a waiter gives way to the holder at each spin
 * iteration, lockups are decided from who waits for whom (a clock-based report would come after the
 * backend's 5 s bound, with another text), runs are functions of the schedule, and misuse throws
 * with the CPU named and nothing changed.
 */
class SteppedSmpTest {
    private static Machine stepped(SmpAlgorithm a, Schedule s) {
        return Machine.builder().cpus(2).stepped(s)
                .backend(SmpBackend.builder().algorithm(a).lockupTimeout(Duration.ofSeconds(5)).build()).build();
    }

    /** Records every event as text. */
    private static List<String> listen(Stepper st) {
        List<String> log = new ArrayList<>();
        st.setListener(new Stepper.StepListener() {
            @Override
            public void stepped(int cpu, String label, boolean nested) {
                log.add("CPU" + cpu + (nested ? " nested " : " ") + label);
            }

            @Override
            public void spun(int cpu, String waitingFor, int holderCpu) {
                log.add("CPU" + cpu + " spins on " + waitingFor + " held by CPU" + holderCpu);
            }
        });
        return log;
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void aWaiterRunsTheHolderUntilItUnlocks(SmpAlgorithm a) {
        Machine m = stepped(a, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        int[] counter = new int[1];
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("lock", l::lock), Program.step("work", c -> counter[0]++),
                Program.step("unlock", l::unlock)));
        st.load(1, Program.of(Program.step("lock", l::lock), Program.step("unlock", l::unlock)));
        List<String> log = listen(st);
        assertEquals("lock", st.step(0));
        assertEquals("lock", st.step(1)); // spins; CPU0's steps run nested until it unlocks
        assertEquals(List.of("CPU0 lock", "CPU1 spins on L held by CPU0", "CPU0 nested work", "CPU1 spins on L held by CPU0",
                "CPU0 nested unlock", "CPU1 lock"), log);
        assertTrue(l.isLocked());
        assertTrue(st.state(1).heldLocks().contains("L"), st.state(1).heldLocks());
        assertNull(st.state(1).waitingFor());
        assertArrayEquals(new int[] {0, 1}, st.runnable()); // CPU0 is done but has its nested last step's end to pass
        assertEquals("CPU0 nested unlock", log.get(4));
        assertEquals(2, st.run(10));
        assertEquals("CPU0 cpu_idle", log.get(log.size() - 1));
        assertEquals(1, counter[0]);
        assertTrue(!l.isLocked());
        assertEquals(0, st.runnable().length);
    }

    private static void assertArrayEquals(int[] expected, int[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void abBaOnTwoCpusIsADeterministicLockup(SmpAlgorithm a) {
        Machine m = stepped(a, Schedule.roundRobin());
        SpinLock x = m.newSpinLock("A");
        SpinLock y = m.newSpinLock("B");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("lock A", x::lock), Program.step("lock B", y::lock)));
        st.load(1, Program.of(Program.step("lock B", y::lock), Program.step("lock A", x::lock)));
        assertEquals(2, st.run(2)); // CPU0 holds A, CPU1 holds B
        LockupException e = assertThrows(LockupException.class, () -> st.run(10));
        assertEquals(1, e.cpu()); // CPU0 spins on B and lends the thread to CPU1, which spins on A: nobody can run
        assertEquals("A", e.lockName());
        assertEquals(0, e.holderCpu());
        assertTrue(e.getMessage().contains("no CPU can run a step"), e.getMessage());
        assertTrue(e.getMessage().contains("spinning: CPU#0 task on B held by CPU#1"), e.getMessage());
        assertTrue(m.kernelLog().contains("soft lockup - CPU#1"), m.kernelLog().toString());
    }

    @Test
    void aLockTakenWithInterruptsOnInOneCpusTaskAndFromTheOthersHardirqLocksUpBoth() {
        Machine m = stepped(SmpAlgorithm.TTAS, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        SpinLock mm = m.newSpinLock("M");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("spin_lock(L)", l::lock), Program.step("spin_lock(M)", mm::lock)));
        st.load(1, Program.of(Program.step("spin_lock(M)", mm::lock), Program.step("spin_unlock(M)", mm::unlock)));
        st.step(0);
        st.raise(1, Interrupt.hardirq("timer", c -> {
            l.lock(c);
            l.unlock(c);
        }));
        // CPU1 takes M, its hardirq arrives at the end of the step and spins on L; CPU0 runs nested and
        // spins on M, which CPU1's task holds under its spinning hardirq: nobody can run
        LockupException e = assertThrows(LockupException.class, () -> st.step(1));
        assertEquals(0, e.cpu());
        assertEquals("M", e.lockName());
        assertTrue(e.getMessage().contains("spinning: CPU#1 task > hardirq(timer) on L held by CPU#0"), e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
        assertEquals(seededRun(7), seededRun(7));
        assertNotEquals(seededRun(7), seededRun(8));
    }

    private static List<String> seededRun(long seed) {
        Machine m = stepped(SmpAlgorithm.TICKET, Schedule.seeded(seed));
        SpinLock l = m.newSpinLock("L");
        Program p = Program.of(Program.step("lock", l::lock), Program.step("unlock", l::unlock)).repeat(20);
        m.stepper().load(0, p);
        m.stepper().load(1, p);
        List<String> log = listen(m.stepper());
        m.stepper().run(1_000);
        return log;
    }

    @Test
    void aCrossCpuCallRunsTheIdleTarget() {
        Machine m = stepped(SmpAlgorithm.TTAS, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        AtomicReference<Integer> answer = new AtomicReference<>();
        st.load(0, Program.of(Program.step("call", c -> answer.set(
                SmpCalls.callFunctionSingle(c, 1, target -> target.id() * 10 + 1, Duration.ofSeconds(5))))));
        List<String> log = listen(st);
        st.step(0);
        assertEquals(11, answer.get());
        assertEquals("CPU1 nested cpu_idle", log.get(1));
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void eachWaitEndsWithItsLockAndCountsItsOwnIterations(SmpAlgorithm a) {
        Machine m = stepped(a, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        SpinLock mm = m.newSpinLock("M");
        Stepper st = m.stepper();
        st.setSpinBound(2); // one wait of 1 iteration, then one of 2: within the bound only if counted apart
        st.load(0, Program.of(Program.step("lock L, M", c -> {
            l.lock(c);
            mm.lock(c);
        }), Program.step("unlock L", l::unlock), Program.step("work", c -> { }), Program.step("unlock M", mm::unlock)));
        List<String> seen = new ArrayList<>();
        st.load(1, Program.of(Program.step("lock L, M", c -> {
            l.lock(c);
            seen.add(st.state(1).waitingFor());
            mm.lock(c);
            seen.add(st.state(1).waitingFor());
        })));
        st.step(0);
        st.step(1);
        assertEquals(java.util.Arrays.asList(null, null), seen);
    }

    @Test
    void aCrossCpuCallsWaitEndsWithItsAnswerAndCountsItsOwnIterations() {
        Machine m = stepped(SmpAlgorithm.TTAS, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        st.setSpinBound(2); // two iterations for the first call, one for the second: within it only if counted apart
        List<String> seen = new ArrayList<>();
        st.load(1, Program.of(Program.step("idle", c -> { })).repeat(4));
        st.load(0, Program.of(Program.step("call twice", c -> {
            // CPU1's nested step ends at a point passed at its next turn: the IPI is answered there
            SmpCalls.callFunctionSingle(c, 1, t -> 0, Duration.ofSeconds(5));
            seen.add(st.state(0).waitingFor());
            SmpCalls.callFunctionSingle(c, 1, t -> 0, Duration.ofSeconds(5));
            seen.add(st.state(0).waitingFor());
        })));
        st.step(0);
        assertEquals(java.util.Arrays.asList(null, null), seen);
    }

    /**
     * CPU0 holds L and calls CPU1; CPU1 takes L. Stepping CPU0 first, CPU1 runs inside CPU0's wait,
     * answers the IPI at its first spin point and spins on L, which CPU0 would unlock if it could look
     * at its answer. Stepping CPU1 first, CPU1 spins on L and runs CPU0's call inside its spin; the
     * IPI waits for CPU1's next iteration. Either way only the kernel could go on: refused, not a lockup.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1})
    void aCallUnderASpinnerThatCouldGoOnIsRefusedNotReportedAsALockup(int stepped) {
        Machine m = stepped(SmpAlgorithm.TTAS, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("lock", l::lock), Program.step("call CPU1", c ->
                SmpCalls.callFunctionSingle(c, 1, target -> 0, Duration.ofSeconds(5)))));
        st.load(1, Program.of(Program.step("lock", l::lock)));
        st.step(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> st.step(stepped));
        assertTrue(e.getMessage().contains(stepped == 0
                ? "CPU#0 waits for smp_call_function_single to CPU#1 and it is ready, under CPU#1"
                : "CPU#1 waits for L and an interrupt waits for it, under CPU#0"), e.getMessage());
    }

    @Test
    void aCallToACpuSpinningWithInterruptsOffOnTheCallersLockIsADecidedLockup() {
        Machine m = stepped(SmpAlgorithm.TTAS, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("lock_irq", l::lockIrq)));
        st.load(1, Program.of(Program.step("lock", l::lock), Program.step("call CPU0", c ->
                SmpCalls.callFunctionSingle(c, 0, target -> 0, Duration.ofSeconds(5)))));
        st.step(1);
        // CPU1 waits for CPU0 to answer; CPU0 runs inside the wait and spins on L with interrupts off:
        // the call is never answered, so the waiter under it could not go on either
        LockupException e = assertThrows(LockupException.class, () -> st.step(1));
        assertTrue(e.decided());
        assertEquals(0, e.cpu());
        assertTrue(e.getMessage().startsWith("watchdog: Watchdog detected hard LOCKUP on cpu 0"), e.getMessage());
        assertTrue(e.getMessage().contains("spinning: CPU#1 task on smp_call_function_single to CPU#0 held by CPU#0"),
                e.getMessage());
    }

    @Test
    void withLockdepTheSelfDeadlockIsReportedBeforeItHangs() {
        Machine m = Machine.builder().cpus(2).stepped(Schedule.nonPreemptive()).lockdep(true)
                .backend(SmpBackend.builder().lockupTimeout(Duration.ofSeconds(5)).build()).build();
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("spin_lock", l::lock)));
        st.raise(0, Interrupt.hardirq("timer", l::lock));
        LockupException e = assertThrows(LockupException.class, () -> st.step(0));
        String log = m.kernelLog().toString();
        int lockdep = log.indexOf("inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage");
        assertTrue(lockdep >= 0 && lockdep < log.indexOf("hard LOCKUP"), log);
        assertTrue(e.decided());
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void theClassicSelfDeadlockSpinsOnItsOwnCpuAndIsDecided(SmpAlgorithm a) {
        Machine m = stepped(a, Schedule.nonPreemptive());
        SpinLock l = m.newSpinLock("L");
        Stepper st = m.stepper();
        Program task = Program.of(Program.step("spin_lock", l::lock), Program.step("spin_unlock", l::unlock));
        st.load(0, task);
        st.load(1, task);
        st.raise(0, Interrupt.hardirq("timer", c -> {
            l.lock(c);
            l.unlock(c);
        }));
        // the hardirq comes at the end of CPU0's first step and spins on L, which CPU0's task holds;
        // CPU1 runs inside its spin and spins on L too: nobody can run
        LockupException e = assertThrows(LockupException.class, () -> st.step(0));
        assertTrue(e.decided());
        assertEquals(1, e.cpu());
        assertTrue(e.getMessage().startsWith("watchdog: BUG: soft lockup - CPU#1"), e.getMessage());
        assertTrue(e.getMessage().contains("spinning: CPU#0 task > hardirq(timer) on L held by CPU#0"), e.getMessage());
        Machine alone = stepped(a, Schedule.nonPreemptive());
        SpinLock l1 = alone.newSpinLock("L");
        alone.stepper().load(0, Program.of(Program.step("spin_lock", l1::lock)));
        alone.stepper().raise(0, Interrupt.hardirq("timer", l1::lock));
        LockupException hard = assertThrows(LockupException.class, () -> alone.stepper().step(0));
        assertTrue(hard.getMessage().startsWith("watchdog: Watchdog detected hard LOCKUP on cpu 0"), hard.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SmpAlgorithm.class)
    void aWaiterUnderAnotherThatCouldGoOnIsRefusedNotReportedAsALockup(SmpAlgorithm alg) {
        Machine m = stepped(alg, Schedule.nonPreemptive());
        SpinLock x = m.newSpinLock("A");
        SpinLock y = m.newSpinLock("B");
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("lock B", y::lock), Program.step("lock A", x::lock)));
        st.load(1, Program.of(Program.step("lock A", x::lock), Program.step("unlock A, lock B", c -> {
            x.unlock(c);
            y.lock(c);
        })));
        st.step(0);
        st.step(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> st.step(0));
        assertTrue(e.getMessage().contains("CPU#0 waits for A and it is free, under CPU#1"), e.getMessage());
    }

    @Test
    void misuseThrowsAndChangesNothing() throws Exception {
        Machine m = stepped(SmpAlgorithm.TTAS, Schedule.nonPreemptive());
        Stepper st = m.stepper();
        st.load(0, Program.of(Program.step("a", c -> st.step(1))));
        st.load(1, Program.of(Program.step("b", c -> { })));
        IllegalStateException inside = assertThrows(IllegalStateException.class, () -> st.step(0));
        assertTrue(inside.getMessage().contains("inside a step of CPU#0"), inside.getMessage());
        IllegalArgumentException noLabel = assertThrows(IllegalArgumentException.class, () -> st.stepTo(1, "z"));
        assertTrue(noLabel.getMessage().contains("CPU#1 has no step 'z'"), noLabel.getMessage());
        assertEquals(0, st.state(1).stepsDone());
        st.setSchedule((options, current, spinning) -> 5);
        IllegalStateException pick = assertThrows(IllegalStateException.class, () -> st.run(1));
        assertTrue(pick.getMessage().contains("schedule picked CPU#5"), pick.getMessage());
        Throwable[] other = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                st.step(1);
            } catch (Throwable x) {
                other[0] = x;
            }
        });
        t.start();
        t.join();
        assertTrue(other[0] instanceof IllegalStateException && other[0].getMessage().contains("is driven by thread"),
                String.valueOf(other[0]));
        assertEquals("b", st.state(1).nextStep());
    }
}
