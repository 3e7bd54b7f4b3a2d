package io.ctxlock.explore;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.KernelModel;
import io.ctxlock.api.Backend;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.Schedule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The allocator scenarios S1-S8 and X1-X3 on a configuration, as explorable {@link Scenario}s. */
public final class AllocatorCells {
    private AllocatorCells() {}

    /** The machine a configuration runs on. */
    public static Machine machine(KernelConfig config) {
        return machine(config, false);
    }

    /** The machine a configuration runs on, with the lock validator on or off. */
    public static Machine machine(KernelConfig config, boolean lockdep) {
        return config.machineBuilder().lockdep(lockdep).build();
    }

    /** Scenario {@code s} on {@code config}: boot, set the scene, run; finish drains deferred work and checks. */
    public static Scenario of(AllocatorScenario s, KernelConfig config) {
        return of(s, config, false);
    }

    /** As {@link #of(AllocatorScenario, KernelConfig)}, with the lock validator on or off. */
    public static Scenario of(AllocatorScenario s, KernelConfig config, boolean lockdep) {
        if (!s.appliesTo(config)) {
            throw new IllegalArgumentException(s + " does not run on " + config + ": " + s.description());
        }
        Backend backend = config.newBackend(); // once: every run builds a machine on it
        return new Scenario() {
            @Override
            public String id() {
                return s.name();
            }

            @Override
            public String description() {
                return s.description();
            }

            @Override
            public Instance start() {
                Machine.Builder b = config.machineBuilder(backend).lockdep(lockdep);
                if (s.crossCpu()) {
                    b.stepped(Schedule.nonPreemptive()); // the explorer sets the schedule of each run
                }
                Machine m = b.build();
                KernelModel k = KernelModel.boot(m, config);
                AllocatorScenario.Run run = s.start(k, m.cpu(0));
                return new Instance() {
                    @Override
                    public Machine machine() {
                        return m;
                    }

                    @Override
                    public void runTask() {
                        run.task(m.cpu(0));
                    }

                    @Override
                    public List<Interrupt> interrupts() {
                        return run.interrupts();
                    }

                    @Override
                    public List<Program> programs() {
                        return run.programs();
                    }

                    @Override
                    public int injectCpu() {
                        return run.injectCpu();
                    }

                    @Override
                    public void finish() {
                        for (int i = 0; i < m.cpuCount(); i++) {
                            k.slub().irqWork(m.cpu(i));
                        }
                        k.pages().flushDeferred(m.cpu(0));
                        if (k.corruption() != null) {
                            throw k.corruption(); // a list_debug WARN: the kernel saw a broken list and went on
                        }
                        k.invariants().check(m.cpu(0));
                    }

                    @Override
                    public Set<String> mechanisms() {
                        Set<String> out = new TreeSet<>();
                        k.mechanisms().forEach(x -> out.add(x.id()));
                        return out;
                    }

                    @Override
                    public List<String> races() {
                        return k.races();
                    }
                };
            }
        };
    }
}
