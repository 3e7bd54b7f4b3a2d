package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of seeded random operation sequences on the configurations the record calls correct:
 * every CPU of the machine (driven from this one thread, so runs are reproducible), interrupts of
 * every kind injected at random points, handlers using the _nolock API (and kmalloc in hardirq and
 * softirq). Every invariant must hold throughout, and after everything is freed and the deferred
 * work drained, all memory is accounted for.
 */
class RandomSequenceTest {
    private static final int SEQUENCES = 400;
    private static final int OPS = 60;

    @ParameterizedTest
    @EnumSource(value = KernelConfig.class, names = {"SMP", "A", "B", "D", "RT"})
    void randomSequencesKeepEveryInvariantAndAccountForAllMemory(KernelConfig config) {
        for (int seq = 0; seq < SEQUENCES; seq++) {
            long seed = config.ordinal() * 1_000_003L + seq;
            try {
                runOne(config, seed);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(config + " seed " + seed + ": " + e, e);
            }
        }
    }

    private static void runOne(KernelConfig config, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        KernelModel k = Configs.boot(config);
        List<int[]> objects = new ArrayList<>(); // {addr}
        List<int[]> blocks = new ArrayList<>(); //  {pfn, order}
        Interrupt[] handlers = handlers(k);
        k.machine().setPointObserver((c, label, n) -> {
            // rare in handlers: an NMI raised in an NMI is latched and runs after it, so frequent raises
            // there would chain without end (each handler passes dozens of points)
            if (c.depth() == 0 && rnd.nextInt(8) == 0 || c.depth() == 1 && rnd.nextInt(256) == 0) {
                c.raise(handlers[rnd.nextInt(handlers.length)]);
            }
        });
        for (int op = 0; op < OPS; op++) {
            Cpu cpu = k.machine().cpu(rnd.nextInt(k.machine().cpuCount()));
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {
                    int o = k.slub().kmalloc(cpu, 1 + rnd.nextInt(2048));
                    if (o >= 0) {
                        objects.add(new int[] {o});
                    }
                }
                case 2 -> {
                    if (!objects.isEmpty()) {
                        k.slub().kfree(cpu, objects.remove(rnd.nextInt(objects.size()))[0]);
                    }
                }
                case 3 -> {
                    int order = rnd.nextInt(6);
                    int p = k.pages().allocPages(cpu, order);
                    if (p >= 0) {
                        blocks.add(new int[] {p, order});
                    }
                }
                case 4 -> {
                    if (!blocks.isEmpty()) {
                        int[] b = blocks.remove(rnd.nextInt(blocks.size()));
                        k.pages().freePages(cpu, b[0], b[1]);
                    }
                }
                default -> {
                    if (rnd.nextBoolean()) {
                        k.pages().drainPages(cpu);
                    } else {
                        k.slub().irqWork(cpu);
                    }
                }
            }
            cpu.interruptPoint("random:between_ops");
        }
        k.machine().setPointObserver(null);
        Cpu cpu0 = k.machine().cpu(0);
        for (int[] o : objects) {
            k.slub().kfree(cpu0, o[0]);
        }
        for (int[] b : blocks) {
            k.pages().freePages(cpu0, b[0], b[1]);
        }
        ScenarioTest.drainDeferred(k);
        assertEquals(List.of(), k.invariants().violations());
        AllocatorInvariants.Accounting a = k.invariants().accounting();
        assertEquals(0, a.objectsInUse(), "objects still in use");
        assertEquals(0, a.frames(PageState.CALLER), "pages still with callers");
        assertEquals(0, a.frames(PageState.DEFERRED), "deferred pages left");
        for (int i = 0; i < k.machine().cpuCount(); i++) {
            assertEquals(0, k.slub().deferredFrees(i));
            assertEquals(0, k.machine().cpu(i).preemptCount());
        }
        assertEquals(0, k.machine().kernelLog().size(), k.machine().kernelLog().toString());
    }

    /** Handlers of every kind; each gives back what it took before it returns. */
    private static Interrupt[] handlers(KernelModel k) {
        Slub slub = k.slub();
        PageAllocator pa = k.pages();
        List<Interrupt> out = new ArrayList<>();
        for (ContextKind kind : new ContextKind[] {ContextKind.NMI, ContextKind.PROBE, ContextKind.HARDIRQ,
                ContextKind.SOFTIRQ}) {
            out.add(Interrupt.of(kind, "nolock", c -> {
                int o = slub.kmallocNolock(c, 96);
                int p = pa.allocPagesNolock(c, 0);
                int q = pa.allocPagesNolock(c, 4);
                if (o >= 0) {
                    slub.kfreeNolock(c, o);
                }
                if (p >= 0) {
                    pa.freePagesNolock(c, p, 0);
                }
                if (q >= 0) {
                    pa.freePagesNolock(c, q, 4);
                }
            }));
        }
        for (ContextKind kind : new ContextKind[] {ContextKind.HARDIRQ, ContextKind.SOFTIRQ}) {
            out.add(Interrupt.of(kind, "atomic", c -> {
                int o = slub.kmalloc(c, 32);
                int p = pa.allocPages(c, 1);
                if (o >= 0) {
                    slub.kfree(c, o);
                }
                if (p >= 0) {
                    pa.freePages(c, p, 1);
                }
            }));
        }
        return out.toArray(new Interrupt[0]);
    }
}
