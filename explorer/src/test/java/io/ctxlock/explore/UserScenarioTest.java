package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Backend;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scenario written against the public lock API only, no allocator internals: a two-field ring
 * index (head and count) updated by a read-modify-write under a lock taken with trylock and interrupts
 * enabled, and an interrupt that pushes into the same ring if its trylock succeeds. The explorer
 * finds the window on the stateless UP backend and nothing on a stateful one.
 */
class UserScenarioTest {
    /** The user's model: a ring whose head and count must move together. */
    static final class Ring {
        final SpinLock lock;
        int head;
        int count;

        Ring(Machine m) {
            lock = m.newSpinLock("ring->lock", LockClass.anyContext("ring->lock"));
        }

        boolean push(Cpu cpu, String step) {
            if (!lock.tryLock(cpu)) {
                return false;
            }
            int h = head; // the update reads the index ...
            cpu.interruptPoint(step); // ... and can be interrupted before it writes it back
            head = h + 1;
            count++;
            lock.unlock(cpu);
            return true;
        }

        void check(Cpu cpu) {
            if (head != count) {
                throw KernelBug.report(cpu, "user/ring.c: ring_push", "ring head/count mismatch",
                        "head " + head + " count " + count);
            }
        }
    }

    static Scenario ringScenario(Backend backend) {
        return new Scenario() {
            @Override
            public String id() {
                return "RING";
            }

            @Override
            public String description() {
                return "task pushes twice; an NMI and a hardirq push from the same CPU";
            }

            @Override
            public Instance start() {
                Machine m = Machine.builder().backend(backend).build();
                Ring ring = new Ring(m);
                return new Instance() {
                    @Override
                    public Machine machine() {
                        return m;
                    }

                    @Override
                    public void runTask() {
                        Cpu cpu = m.cpu(0);
                        ring.push(cpu, "ring_push:half");
                        ring.check(cpu);
                        ring.push(cpu, "ring_push:half");
                        cpu.interruptPoint("task:idle");
                    }

                    @Override
                    public List<Interrupt> interrupts() {
                        return List.of(Interrupt.nmi("ring_nmi", c -> ring.push(c, "ring_push:nmi")),
                                Interrupt.hardirq("ring_irq", c -> ring.push(c, "ring_push:irq")));
                    }

                    @Override
                    public void finish() {
                        ring.check(m.cpu(0));
                    }
                };
            }
        };
    }

    @Test
    void theExplorerFindsTheWindowOnStatelessUpAndNothingOnStateful() {
        CellResult broken = new Explorer().explore(ringScenario(UpBackend.create(UpMode.STATELESS)), 1);
        assertEquals(3, broken.points());
        assertEquals(6, broken.runs());
        assertEquals(4, broken.failures(), "both interrupts at both half-done points");
        assertNotNull(broken.firstFailure());
        assertEquals("ring head/count mismatch", broken.firstFailure().invariant());
        assertEquals("ring_push:half", broken.firstFailure().label());
        assertTrue(broken.trace().stream().anyMatch(e -> e.type() == TraceEvent.Type.BUG));

        CellResult fixed = new Explorer().explore(ringScenario(UpBackend.create(UpMode.STATEFUL)), 2);
        assertEquals(0, fixed.failures());
        assertTrue(fixed.failedTrylocks().keySet().stream().anyMatch(k -> k.startsWith("ring->lock: nested")),
                fixed.failedTrylocks().toString());
    }

    @Test
    void aRunThatEndsInMisuseMakesTheCellErrorNeverCorrupt() {
        Scenario misuse = new Scenario() {
            @Override
            public String id() {
                return "LEAK";
            }

            @Override
            public String description() {
                return "a handler returns holding a lock: a bug of the model, not of the kernel's data";
            }

            @Override
            public Instance start() {
                Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATEFUL)).build();
                SpinLock lock = m.newSpinLock("leaky");
                return new Instance() {
                    @Override
                    public Machine machine() {
                        return m;
                    }

                    @Override
                    public void runTask() {
                        m.cpu(0).interruptPoint("task:one");
                        m.cpu(0).interruptPoint("task:two");
                    }

                    @Override
                    public List<Interrupt> interrupts() {
                        return List.of(Interrupt.hardirq("leak", lock::lock));
                    }
                };
            }
        };
        CellResult r = new Explorer().explore(misuse, 1);
        assertEquals(Verdict.ERROR, r.verdict());
        assertEquals(false, r.corrupt());
        assertEquals(Outcome.MISUSE, r.firstFailure().outcome());
        assertTrue(r.cellText().startsWith("ERROR 2/2"), r.cellText());

        CellResult clean = new Explorer().explore(ringScenario(UpBackend.create(UpMode.STATEFUL)), 1);
        assertEquals(java.util.Set.of(Mechanisms.NESTED_TRYLOCK_FAILED), clean.mechanisms());
        assertEquals(Verdict.CLEAN, clean.verdict());
    }
}
