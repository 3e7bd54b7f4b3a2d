package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S1-S8 on every configuration, each driven by injecting the scenario's interrupt at one chosen
 * interrupt point of the task program (through the point observer). Corrupting cells assert which
 * invariant breaks; clean cells assert that the model stays consistent and that the nested
 * trylock failed for the expected reason.
 */
class ScenarioTest {
    /** The label where each scenario's window is, and what breaks there when it breaks. */
    static final Object[][] WINDOWS = {
        {AllocatorScenario.S1, Points.FREE_PCPPAGES_BULK_IRQRESTORE, "list_add corruption"},
        {AllocatorScenario.S2, Points.FREE_PCP_LIST_ADD, "list_add corruption"},
        {AllocatorScenario.S3, Points.GET_PARTIAL_NODE_LOOP, "BUG_ON(new.frozen)"},
        {AllocatorScenario.S4, Points.RMQUEUE_BUDDY, "list_del corruption"},
        {AllocatorScenario.S5, Points.RMQUEUE_BUDDY, "list_add corruption"},
        {AllocatorScenario.S6, Points.GET_PARTIAL_NODE_LOOP, "BUG_ON(new.frozen)"},
        {AllocatorScenario.S7, Points.SLAB_ALLOC_CPU_SLAB, null},
        {AllocatorScenario.S8, AllocatorScenario.IDLE_POINT, null},
    };

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] w : WINDOWS) {
            for (KernelConfig c : KernelConfig.values()) {
                out.add(Arguments.of(w[0], c, w[1], w[2]));
            }
        }
        return out.stream();
    }

    /** What one injected run did. */
    record Outcome(boolean injected, KernelBug bug, TryResult lastTryFailure, KernelModel model) {}

    /** Runs {@code scenario} on {@code config}, injecting interrupt {@code which} at the first {@code label}. */
    static Outcome inject(AllocatorScenario scenario, KernelConfig config, String label, int which) {
        KernelModel k = Configs.boot(config);
        Cpu cpu = k.machine().cpu(0);
        AllocatorScenario.Run run = scenario.start(k, cpu);
        Interrupt irq = run.interrupts().get(which);
        boolean[] injected = new boolean[1];
        k.machine().setPointObserver((c, l, seq) -> {
            if (!injected[0] && c.depth() == 0 && l.equals(label)) {
                injected[0] = true;
                c.raise(irq);
            }
        });
        try {
            run.task(cpu);
        } catch (KernelBug bug) {
            return new Outcome(injected[0], bug, cpu.lastTryFailure(), k);
        }
        k.machine().setPointObserver(null);
        return new Outcome(injected[0], null, cpu.lastTryFailure(), k);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cells")
    void theInjectedInterruptCorruptsExactlyWhereTheRecordSays(AllocatorScenario s, KernelConfig c, String label,
            String invariant) {
        for (int which = 0; which < s.start(Configs.boot(c), Configs.boot(c).machine().cpu(0)).interrupts().size(); which++) {
            Outcome o = inject(s, c, label, which);
            boolean pcpBypassed = c.pcpBypass() && (s == AllocatorScenario.S1 || s == AllocatorScenario.S2);
            assertTrue(o.injected() || pcpBypassed, s + " on " + c + ": the window " + label + " was never reached");
            if (s.expectedCorrupt(c)) {
                assertNotNull(o.bug(), s + " on " + c + " should corrupt at " + label);
                assertEquals(invariant, o.bug().invariant());
                assertTrue(o.model().machine().kernelLog().contains("kernel BUG at "));
                continue;
            }
            assertNull(o.bug(), () -> s + " on " + c + ": " + o.bug().getMessage());
            Cpu cpu = o.model().machine().cpu(0);
            drainDeferred(o.model());
            assertEquals(List.of(), o.model().invariants().violations());
            if (o.injected()) {
                assertEquals(expectedFailure(s, c), o.lastTryFailure(), s + " on " + c);
            }
            if (c == KernelConfig.UP_DEBUG && s != AllocatorScenario.S7 && s != AllocatorScenario.S8) {
                assertTrue(o.model().machine().kernelLog().contains("spinlock trylock failure on UP"), s + " on UP_DEBUG");
            }
            assertEquals(0, cpu.preemptCount());
        }
    }

    /**
     * Why the injected handler's trylock fails where the record says "clean": NESTED where a lock
     * with state refuses it (on RT too: spin_trylock has no context policy there), null
     * where no trylock is tried (can_spin_trylock() refused first, the pcp is bypassed, or S8).
     */
    private static TryResult expectedFailure(AllocatorScenario s, KernelConfig c) {
        if (s == AllocatorScenario.S8 || c == KernelConfig.E) {
            return null;
        }
        if (c == KernelConfig.RT) {
            return s == AllocatorScenario.S1 || s == AllocatorScenario.S6 ? TryResult.NESTED : null;
        }
        return TryResult.NESTED;
    }

    static void drainDeferred(KernelModel k) {
        for (int i = 0; i < k.machine().cpuCount(); i++) {
            k.slub().irqWork(k.machine().cpu(i));
        }
        k.pages().flushDeferred(k.machine().cpu(0));
    }

    @Test
    void s3ReproducesTheSeedFreezeSlabBugOnUpStateless() {
        Outcome o = inject(AllocatorScenario.S3, KernelConfig.UP, Points.GET_PARTIAL_NODE_LOOP, 0);
        assertNotNull(o.bug());
        assertEquals("mm/slub.c: freeze_slab", o.bug().where());
        assertEquals("task", o.bug().context(), "the task finds the slab the NMI froze");
        String dmesg = o.model().machine().kernelLog().toString();
        assertTrue(dmesg.contains("kernel BUG at mm/slub.c: freeze_slab: BUG_ON(new.frozen)"), dmesg);
        assertTrue(dmesg.contains("already frozen"), dmesg);
    }

    @Test
    void everyPointOfEveryScenarioIsListedInOnePlace() {
        for (AllocatorScenario s : AllocatorScenario.values()) {
            for (KernelConfig c : KernelConfig.values()) {
                KernelModel k = Configs.boot(c);
                Cpu cpu = k.machine().cpu(0);
                AllocatorScenario.Run run = s.start(k, cpu);
                List<String> labels = new ArrayList<>();
                k.machine().setPointObserver((x, l, seq) -> labels.add(l));
                run.task(cpu);
                for (String l : labels) {
                    assertTrue(Points.ALL.contains(l) || l.equals(AllocatorScenario.IDLE_POINT)
                            || l.equals("local_unlock_irqrestore"), s + " on " + c + ": unlisted point " + l);
                }
            }
        }
    }
}
