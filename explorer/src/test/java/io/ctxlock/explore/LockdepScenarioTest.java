package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.Points;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.KernelLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The allocator scenarios with the lock validator on: on UP it reports the latent bug of S3 and S6
 * before the corruption happens; on the correct configurations it reports nothing, at any
 * injection point of any scenario.
 */
class LockdepScenarioTest {
    @ParameterizedTest
    @EnumSource(value = AllocatorScenario.class, names = {"S3", "S6"})
    void onUpTheValidatorWarnsBeforeFreezeSlabFindsTheSlabFrozen(AllocatorScenario s) {
        Scenario.Instance run = AllocatorCells.of(s, KernelConfig.UP, true).start();
        Interrupt irq = run.interrupts().get(0);
        boolean[] done = new boolean[1];
        run.machine().setPointObserver((c, label, seq) -> {
            if (!done[0] && label.equals(Points.GET_PARTIAL_NODE_LOOP)) {
                done[0] = true;
                c.raise(irq);
            }
        });
        KernelBug bug = null;
        try {
            run.runTask();
        } catch (KernelBug b) {
            bug = b;
        }
        assertTrue(bug != null && bug.invariant().equals("VM_BUG_ON(new.frozen)"), String.valueOf(bug));
        List<KernelLog.Entry> log = run.machine().kernelLog().entries();
        int warning = indexOf(log, "WARNING: trylock that cannot fail from " + irq.kind().kernelName());
        int oops = indexOf(log, "kernel BUG at mm/slub.c: freeze_slab");
        assertTrue(warning >= 0 && warning < oops, run.machine().kernelLog().toString());
        assertTrue(log.get(warning).text().contains("n->list_lock"), log.get(warning).text());
    }

    @ParameterizedTest
    @EnumSource(value = KernelConfig.class, names = {"SMP", "A", "B", "D", "RT"})
    void onTheCorrectConfigurationsTheValidatorReportsNothingAnywhere(KernelConfig config) {
        Explorer explorer = new Explorer();
        for (AllocatorScenario s : AllocatorScenario.values()) {
            if (s.crossCpu()) {
                continue; // X1-X3 run over schedules on a stepped machine (X3's lockdep report: SteppedSmpTest)
            }
            Scenario scenario = AllocatorCells.of(s, config, true);
            int handlers = scenario.start().interrupts().size();
            int points = explorer.explore(scenario, 1).points(); // every point of the task, however many
            assertTrue(points > 0);
            for (int h = 0; h < handlers; h++) {
                for (long p = 1; p <= points; p++) {
                    List<String> reports = new ArrayList<>();
                    RunResult r = runWithLockdep(explorer, scenario, p, h, reports);
                    assertEquals(Outcome.CLEAN, r.outcome(), s + " on " + config + " at point " + p);
                    assertEquals(List.of(), reports, s + " on " + config + " at point " + p);
                }
            }
        }
    }

    private static RunResult runWithLockdep(Explorer explorer, Scenario scenario, long point, int handler,
            List<String> reports) {
        Scenario capture = new Scenario() {
            @Override
            public String id() {
                return scenario.id();
            }

            @Override
            public String description() {
                return scenario.description();
            }

            @Override
            public Instance start() {
                Instance inner = scenario.start();
                return new Instance() {
                    @Override
                    public io.ctxlock.api.Machine machine() {
                        return inner.machine();
                    }

                    @Override
                    public void runTask() {
                        inner.runTask();
                    }

                    @Override
                    public List<Interrupt> interrupts() {
                        return inner.interrupts();
                    }

                    @Override
                    public void finish() {
                        inner.finish();
                        reports.addAll(inner.machine().lockdep().reports());
                    }
                };
            }
        };
        return explorer.run(capture, List.of(new Explorer.Injection(point, handler)), new RecordingTracer(false));
    }

    private static int indexOf(List<KernelLog.Entry> log, String fragment) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).text().contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
