package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S1-S8 on every configuration, each driven by injecting the scenario's interrupt at one chosen
 * interrupt point of the task program (through the point observer), and compared with the depth-1
 * rows of the record ({@code docs/record.md}, read by {@link RecordRows}). Corrupting cells must
 * show the kernel's symptom at that window; clean cells must stay consistent and use only
 * mechanisms the record names for them.
 */
class ScenarioTest {
    /**
     * A window of each scenario (the first point with that label, in the task) and the kernel's
     * symptom there where it corrupts: a BUG or VM_BUG_ON text, a list_debug WARN text, or the
     * whole-model check at the end ("invariant violated") where the kernel would report nothing
     * itself until the lost page or broken count bites.
     */
    static final Object[][] WINDOWS = {
        {AllocatorScenario.S1, Points.FREE_PCPPAGES_BULK_COUNT, "hard LOCKUP"},
        {AllocatorScenario.S2, Points.LIST_DEL, "invariant violated"},
        {AllocatorScenario.S3, Points.GET_PARTIAL_NODE_LOOP, "VM_BUG_ON(new.frozen)"},
        {AllocatorScenario.S4, Points.RMQUEUE_BUDDY, "VM_BUG_ON_PAGE(!PageBuddy(page))"},
        {AllocatorScenario.S5, Points.LIST_ADD, "list_add corruption"},
        {AllocatorScenario.S6, Points.GET_PARTIAL_NODE_LOOP, "VM_BUG_ON(new.frozen)"},
        {AllocatorScenario.S7, Points.SLAB_ALLOC_CPU_SLAB, null},
        {AllocatorScenario.S8, Points.TASK_NO_LOCK_HELD, null},
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
    record Outcome(boolean injected, KernelBug bug, KernelModel model) {}

    /** Runs {@code scenario} on {@code config}, injecting interrupt {@code which} at the first {@code label} of the task. */
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
            k.machine().setPointObserver(null);
            drainDeferred(k);
            if (k.corruption() != null) {
                return new Outcome(injected[0], k.corruption(), k);
            }
            k.invariants().check(cpu);
        } catch (KernelBug bug) {
            return new Outcome(injected[0], bug, k);
        }
        return new Outcome(injected[0], null, k);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cells")
    void theInjectedInterruptCorruptsExactlyWhereTheRecordSays(AllocatorScenario s, KernelConfig c, String label,
            String invariant) {
        RecordRows.Row expected = RecordRows.depth1(s, c);
        int handlers = handlers(s, c);
        for (int which = 0; which < handlers; which++) {
            Outcome o = inject(s, c, label, which);
            assertTrue(o.injected() || c.pcpBypass() && s == AllocatorScenario.S1,
                    s + " on " + c + ": the window " + label + " was never reached");
            if (expected.corrupt()) {
                assertNotNull(o.bug(), s + " on " + c + " should corrupt at " + label);
                assertEquals(invariant, o.bug().invariant(), o.bug().getMessage());
                continue;
            }
            assertNull(o.bug(), () -> s + " on " + c + ": " + o.bug().getMessage());
            assertEquals(List.of(), o.model().invariants().violations());
            assertEquals(0, o.model().machine().cpu(0).preemptCount());
            for (Mechanism m : o.model().mechanisms()) {
                assertTrue(expected.mechanisms().contains(m.id()), s + " on " + c + " used " + m.id()
                        + ", which the record does not name: " + expected.mechanisms());
            }
            if (c == KernelConfig.UP_DEBUG && expected.mechanisms().contains("spinlock-debug-report") && o.injected()
                    && s != AllocatorScenario.S3 && s != AllocatorScenario.S6) {
                assertTrue(o.model().machine().kernelLog().contains("BUG: spinlock trylock failure on UP"),
                        s + " on UP_DEBUG: " + o.model().machine().kernelLog());
            }
        }
    }

    /** How many interrupts a scenario injects (a model booted for the purpose, its own CPU). */
    static int handlers(AllocatorScenario s, KernelConfig c) {
        KernelModel k = Configs.boot(c);
        return s.start(k, k.machine().cpu(0)).interrupts().size();
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
        assertTrue(dmesg.contains("kernel BUG at mm/slub.c: freeze_slab: VM_BUG_ON(new.frozen)"), dmesg);
        assertTrue(dmesg.contains("already frozen"), dmesg);
        int race = dmesg.indexOf("BUG: KCSAN: assert: race in kmalloc-64 node partial list");
        int listDel = dmesg.indexOf("list_del corruption, pfn ");
        int bug = dmesg.indexOf("kernel BUG at mm/slub.c: freeze_slab");
        assertTrue(race >= 0 && race < listDel && listDel < bug, "the race, then the task's list_del of the slab the NMI"
                + " took (a WARN, skipped), then the BUG: " + dmesg);
        assertTrue(dmesg.contains("->next is LIST_POISON1"), dmesg);
    }

    /**
     * Every label the model passes, with every handler injected at every task point and a second
     * one at every point after it (inside the first handler or later), is listed in {@link Points}.
     */
    @Test
    void everyPointOfEveryScenarioIsListedInOnePlace() {
        for (AllocatorScenario s : AllocatorScenario.values()) {
            if (s.crossCpu()) {
                continue; // programs on a stepped machine: CrossCpuScenarioTest walks them
            }
            for (KernelConfig c : KernelConfig.values()) {
                int taskPoints = walk(s, c, -1, -1, -1, -1);
                int handlers = handlers(s, c);
                for (int h = 0; h < handlers; h++) {
                    for (int i = 1; i <= taskPoints; i++) {
                        int after = walk(s, c, i, h, -1, -1);
                        for (int h2 = 0; h2 < handlers; h2++) {
                            for (int j = i + 1; j <= after; j++) {
                                walk(s, c, i, h, j, h2);
                            }
                        }
                    }
                }
            }
        }
    }

    /** One run with injections at points {@code i} and {@code j} (counted over every context); returns the points passed. */
    private static int walk(AllocatorScenario s, KernelConfig c, int i, int h, int j, int h2) {
        KernelModel k = Configs.boot(c);
        Cpu cpu = k.machine().cpu(0);
        AllocatorScenario.Run run = s.start(k, cpu);
        int[] seen = new int[1];
        k.machine().setPointObserver((x, l, seq) -> {
            assertTrue(Points.ALL.contains(l), s + " on " + c + ": unlisted point " + l);
            seen[0]++;
            if (seen[0] == i) {
                x.raise(run.interrupts().get(h));
            }
            if (seen[0] == j) {
                x.raise(run.interrupts().get(h2));
            }
        });
        try {
            run.task(cpu);
        } catch (KernelBug symptomOnABrokenConfiguration) {
            // the labels passed up to the symptom were checked as they came
        }
        return seen[0];
    }
}
