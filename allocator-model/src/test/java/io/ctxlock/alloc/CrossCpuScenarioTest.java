package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.Schedule;
import io.ctxlock.api.Stepper;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cross-CPU scenarios on a stepped two-CPU SMP machine, driven to named step ends: CPU0's NMI
 * meets CPU1's n->list_lock in __slab_free; CPU1's hardirq meets CPU0's hold of its pcp->lock and
 * then of zone->lock in a remote drain; and every label the programs pass is listed in
 * {@link Points}.
 */
class CrossCpuScenarioTest {
    private static KernelModel stepped(Schedule s) {
        Machine m = KernelConfig.SMP.machineBuilder().stepped(s).build();
        return KernelModel.boot(m, KernelConfig.SMP);
    }

    @Test
    void anNmiMeetsTheOtherCpusListLockInSlabFreeAndAllocatesElsewhere() {
        KernelModel k = stepped(Schedule.nonPreemptive());
        AllocatorScenario.Run run = AllocatorScenario.X1.start(k, k.machine().cpu(0));
        Stepper st = k.machine().stepper();
        st.load(0, Program.of(Program.step(Points.STEP_TASK, c -> { })));
        st.load(1, run.programs().get(1));
        st.stepTo(1, Points.STEP_SLAB_FREE_READ); // the slab was full: CPU1 holds n->list_lock
        assertTrue(st.state(1).heldLocks().contains("kmalloc-64 n->list_lock"), st.state(1).heldLocks());
        st.raise(0, run.interrupts().get(0));
        st.step(0); // the NMI at the end of CPU0's step: kmalloc_nolock, CPU0's slab full, get_partial_node
        assertEquals(TryResult.OTHER_CPU, k.machine().cpu(0).lastTryFailure());
        st.step(1);
        k.invariants().check(k.machine().cpu(0));
        assertNull(k.corruption());
    }

    @Test
    void aHardirqMeetsTheRemoteDrainsPcpLockThenSpinsOnItsZoneLock() {
        KernelModel k = stepped(Schedule.nonPreemptive());
        AllocatorScenario.Run run = AllocatorScenario.X2.start(k, k.machine().cpu(0));
        Stepper st = k.machine().stepper();
        st.load(0, run.programs().get(0));
        st.load(1, run.programs().get(1));
        List<String> nested = new ArrayList<>();
        st.setListener((cpu, label, inside) -> {
            if (inside) {
                nested.add("CPU" + cpu + " " + label);
            }
        });
        st.stepTo(0, Points.STEP_DRAIN_PCP_LOCKED);
        st.raise(1, run.interrupts().get(0));
        st.step(1); // free_pages: CPU1's pcp trylock fails (CPU0 holds it), free_one_page takes zone->lock
        assertEquals(TryResult.OTHER_CPU, k.machine().cpu(1).lastTryFailure());
        assertTrue(nested.isEmpty(), nested.toString());
        st.stepTo(0, Points.STEP_BULK_ZONE_LOCKED);
        st.raise(1, run.interrupts().get(0));
        st.step(1); // the second free spins on zone->lock: CPU0's next step runs inside the spin and unlocks it
        assertEquals(List.of("CPU0 " + Points.STEP_BULK_ZONE_UNLOCKED), nested);
        st.run(10);
        k.invariants().check(k.machine().cpu(0));
        assertNull(k.corruption());
        assertEquals(0, k.pages().deferredPages());
    }

    /** Every step end and interrupt point X1-X3 pass, over seeded schedules with the interrupt at each point, is listed. */
    @Test
    void everyPointOfTheCrossCpuScenariosIsListedInOnePlace() {
        for (AllocatorScenario s : List.of(AllocatorScenario.X1, AllocatorScenario.X2, AllocatorScenario.X3)) {
            for (long seed = 0; seed < 8; seed++) {
                for (int at = 0; at <= 12; at++) {
                    walk(s, seed, at);
                }
            }
        }
    }

    private static void walk(AllocatorScenario s, long seed, int at) {
        KernelModel k = stepped(Schedule.seeded(seed));
        AllocatorScenario.Run run = s.start(k, k.machine().cpu(0));
        Stepper st = k.machine().stepper();
        for (int i = 0; i < run.programs().size(); i++) {
            st.load(i, run.programs().get(i));
        }
        int[] seen = new int[1];
        k.machine().setPointObserver((c, label, seq) -> {
            assertTrue(Points.ALL.contains(label), s + " seed " + seed + ": unlisted point " + label);
            if (c.id() == run.injectCpu() && ++seen[0] == at) {
                c.raise(run.interrupts().get(0));
            }
        });
        try {
            st.run(1_000);
        } catch (LockupException x3Deadlock) {
            assertEquals(AllocatorScenario.X3, s, x3Deadlock.getMessage());
        }
    }

    @Test
    void theCrossCpuScenariosRunOnTwoCpusOnly() {
        assertTrue(AllocatorScenario.X1.appliesTo(KernelConfig.RT));
        assertTrue(!AllocatorScenario.X2.appliesTo(KernelConfig.RT) && !AllocatorScenario.X3.appliesTo(KernelConfig.RT));
        for (KernelConfig c : KernelConfig.values()) {
            if (c.cpus() == 1) {
                assertTrue(!AllocatorScenario.X1.appliesTo(c) && !AllocatorScenario.X2.appliesTo(c), c.name());
            }
            assertTrue(AllocatorScenario.S1.appliesTo(c));
        }
        assertEquals(Interrupt.class, AllocatorScenario.X3.start(stepped(Schedule.nonPreemptive()),
                null).interrupts().get(0).getClass());
    }
}
