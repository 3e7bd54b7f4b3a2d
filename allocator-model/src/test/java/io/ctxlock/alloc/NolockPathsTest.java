package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelLock;
import io.ctxlock.api.Tracer;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel paths of the {@code _nolock} APIs and kmalloc's sizes (mm/page_alloc.c, mm/slub.c
 * v6.18), each checked on the lock operations it makes, seen through a tracer.
 */
class NolockPathsTest {
    /** Every lock operation of a run, as "acquire zone->lock (NMI)" or "fail zone->lock nested". */
    static final class LockLog implements Tracer {
        final List<String> ops = new ArrayList<>();

        @Override
        public void acquired(Cpu cpu, KernelLock lock) {
            ops.add("acquire " + lock.name() + " (" + cpu.context().kernelName() + ")");
        }

        @Override
        public void tryFailed(Cpu cpu, KernelLock lock, TryResult why) {
            ops.add("fail " + lock.name() + " " + why.reason());
        }
    }

    @Test
    void allocPagesNolockAboveOrderThreeReturnsNullTakingNoLock() {
        KernelModel k = Configs.boot(KernelConfig.B);
        Cpu cpu = k.machine().cpu(0);
        LockLog log = new LockLog();
        k.machine().setTracer(log);
        int[] got = new int[2];
        cpu.run(ContextKind.NMI, "bpf", c -> {
            got[0] = k.pages().allocPagesNolock(c, 4);
            got[1] = k.pages().allocPagesNolock(c, -1);
        });
        assertEquals(-1, got[0]);
        assertEquals(-1, got[1]);
        assertEquals(List.of(), log.ops);
        assertEquals(Set.of(Mechanism.REFUSED_EARLY), k.mechanisms());
        assertEquals(0, k.machine().kernelLog().size(), "no WARN: pcp_allowed_order() just says no");
    }

    @Test
    void s4sOrderZeroRequestFailsTheZoneTrylockInRmqueueBulkThenInRmqueueBuddy() {
        KernelModel k = Configs.boot(KernelConfig.B);
        Cpu cpu = k.machine().cpu(0);
        LockLog log = new LockLog();
        int[] got = {0};
        long flags = k.pages().zone.lock.lockIrqSave(cpu); // the task holds zone->lock
        k.machine().setTracer(log);
        cpu.run(ContextKind.NMI, "bpf", c -> got[0] = k.pages().allocPagesNolock(c, 0));
        k.machine().setTracer(null);
        k.pages().zone.lock.unlockIrqRestore(cpu, flags);
        assertEquals(-1, got[0]);
        assertEquals(List.of("acquire pcp->lock[CPU0] (NMI)", "fail zone->lock nested", "fail zone->lock nested"),
                log.ops, "pcp trylock, rmqueue_bulk()'s zone trylock, then rmqueue_buddy()'s");
        assertEquals(List.of(), k.invariants().violations());
    }

    @Test
    void kfreeNolockOfAnObjectOutsideTheCurrentSlabDefersAndNeverTakesTheListLock() {
        KernelModel k = Configs.boot(KernelConfig.SMP);
        Cpu cpu = k.machine().cpu(0);
        KmemCache s = k.slub().bucket(64);
        int[] objs = new int[s.objectsPerSlab + 1];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = k.slub().kmalloc(cpu, 64); // the first slab fills up; the last object is in a second
        }
        LockLog log = new LockLog();
        k.machine().setTracer(log);
        cpu.run(ContextKind.HARDIRQ, "bpf", c -> k.slub().kfreeNolock(c, objs[0]));
        k.machine().setTracer(null);
        assertEquals(List.of(), log.ops, "no lock at all: defer_free()");
        assertEquals(1, k.slub().deferredFrees(0));
        assertEquals(Set.of(Mechanism.DEFERRED), k.mechanisms());
        assertEquals(1, k.slub().irqWork(cpu));
        assertEquals(List.of(), k.invariants().violations());
        assertEquals(s.objectsPerSlab, k.invariants().accounting().objectsInUse(), "irq_work freed the deferred object");
    }

    @Test
    void kmallocNolockRetriesOnlyOnEbusyOnceInTheBucketOfObjectSizePlusOne() {
        KernelModel k = Configs.boot(KernelConfig.B);
        Cpu cpu = k.machine().cpu(0);
        int[] got = {0};
        k.machine().setPointObserver((c, label, seq) -> {
            if (c.depth() == 0 && label.equals(Points.SLAB_ALLOC_CPU_SLAB)) {
                c.run(ContextKind.NMI, "bpf", n -> got[0] = k.slub().kmallocNolock(n, 64));
            }
        });
        k.slub().kmalloc(cpu, 64);
        k.machine().setPointObserver(null);
        assertNotEquals(-1, got[0]);
        Slab slab = k.pages().zone.frames[got[0] / KmemCache.PAGE_SIZE].slab;
        assertEquals("kmalloc-96", slab.cache.name, "64 + 1 bytes: the next bucket is kmalloc-96");
        assertEquals(Set.of(Mechanism.BUSY_RETRY), k.mechanisms());
    }

    @Test
    void kmallocNolockRetriesOnceOnlyAndThenReturnsNull() {
        KernelModel k = Configs.boot(KernelConfig.B);
        Cpu cpu = k.machine().cpu(0);
        long f64 = k.slub().bucket(64).cpuSlabLock.thisCpu(cpu).lockIrqSave(cpu); // the task inside both
        long f96 = k.slub().bucket(96).cpuSlabLock.thisCpu(cpu).lockIrqSave(cpu);
        LockLog log = new LockLog();
        k.machine().setTracer(log);
        int[] got = {0};
        cpu.run(ContextKind.NMI, "bpf", c -> got[0] = k.slub().kmallocNolock(c, 64));
        k.machine().setTracer(null);
        k.slub().bucket(96).cpuSlabLock.thisCpu(cpu).unlockIrqRestore(cpu, f96);
        k.slub().bucket(64).cpuSlabLock.thisCpu(cpu).unlockIrqRestore(cpu, f64);
        assertEquals(-1, got[0], "-EBUSY in kmalloc-64, -EBUSY again in kmalloc-96: NULL");
        assertEquals(List.of(), log.ops, "no third bucket, no lock at all: " + log.ops);
        assertEquals(Set.of(Mechanism.BUSY_RETRY), k.mechanisms());
    }

    @Test
    void kmallocNolockDoesNotRetryWhenTheFailureIsNotEbusy() {
        KernelModel k = KernelModel.boot(KernelConfig.B.machineBuilder().build(), KernelConfig.B, 16, 8, 4);
        Cpu cpu = k.machine().cpu(0);
        while (k.pages().allocPages(cpu, 0) >= 0) {
            // take every page: new_slab() will find none
        }
        int[] got = {0};
        LockLog log = new LockLog();
        k.machine().setTracer(log);
        cpu.run(ContextKind.NMI, "bpf", c -> got[0] = k.slub().kmallocNolock(c, 64));
        assertEquals(-1, got[0], "new_slab() found no page: NULL, not -EBUSY");
        assertFalse(k.mechanisms().contains(Mechanism.BUSY_RETRY));
        assertTrue(log.ops.contains("acquire kmalloc-64->cpu_slab->lock (NMI)"), log.ops.toString());
        assertTrue(log.ops.stream().noneMatch(op -> op.contains("kmalloc-96")), "kmalloc-96 was never tried: " + log.ops);
    }

    @Test
    void aNestedEntryIntoTheNodeListLockSectionIsCaughtAsARace() {
        KernelModel k = Configs.boot(KernelConfig.UP);
        Cpu cpu = k.machine().cpu(0);
        KmemCache s = k.slub().bucket(64);
        int[] first = new int[s.objectsPerSlab];
        for (int i = 0; i < first.length; i++) {
            first[i] = k.slub().kmalloc(cpu, 64);
        }
        for (int i = 0; i < s.objectsPerSlab; i++) {
            k.slub().kmalloc(cpu, 64); // the first slab is full and off every list; so is the CPU slab, the second
        }
        k.machine().setPointObserver((c, label, seq) -> {
            if (c.depth() == 0 && label.equals(Points.SLAB_FREE_LIST_LOCK)) {
                c.run(ContextKind.PROBE, "fentry/kfree", p -> k.slub().kmallocNolock(p, 64));
            }
        });
        k.slub().kfree(cpu, first[0]); // __slab_free(): a full slab gets a free object, under n->list_lock
        k.machine().setPointObserver(null); // the probe's kmalloc_nolock() went to get_partial_node(): UP lets it in
        assertEquals(1, k.races().size(), k.races().toString());
        assertTrue(k.races().get(0).startsWith("kmalloc-64 node partial list entered by probe(fentry/kfree) on CPU#0"
                + " while task on CPU#0 is inside"), k.races().get(0));
        assertTrue(k.machine().kernelLog().contains("BUG: KCSAN: assert: race in kmalloc-64 node partial list"));
        assertEquals(List.of(), k.invariants().violations(), "the task's compare-and-exchange found the slab unchanged");
    }

    @Test
    void kmallocSizesAsTheKernelHasThem() {
        KernelModel k = Configs.boot(KernelConfig.B); // 512 pages: the largest block is 2 MiB
        Cpu cpu = k.machine().cpu(0);
        assertEquals(Slub.ZERO_SIZE_PTR, k.slub().kmalloc(cpu, 0));
        assertEquals(Slub.ZERO_SIZE_PTR, k.slub().kmallocNolock(cpu, 0));
        k.slub().kfree(cpu, Slub.ZERO_SIZE_PTR);
        k.slub().kfree(cpu, -1);
        int large = k.slub().kmalloc(cpu, 8193); // kmalloc_large(): order 2 from the page allocator
        assertTrue(large >= 0 && large % KmemCache.PAGE_SIZE == 0);
        assertEquals(4, k.invariants().accounting().frames(PageState.KMALLOC_LARGE));
        k.slub().kfree(cpu, large);
        assertEquals(0, k.invariants().accounting().frames(PageState.KMALLOC_LARGE));
        assertEquals(-1, k.slub().kmallocNolock(cpu, 8193), "kmalloc_nolock() has no large path");
        assertEquals(0, k.machine().kernelLog().size());
        assertEquals(-1, k.slub().kmalloc(cpu, 4 << 20), "order 10 > MAX_PAGE_ORDER of this zone");
        assertEquals(-1, k.slub().kmalloc(cpu, -1), "a negative int is a huge size_t");
        assertEquals(-1, k.pages().allocPages(cpu, 12));
        assertEquals(1, k.machine().kernelLog().size(), "WARN_ON_ONCE: one report: " + k.machine().kernelLog());
        assertTrue(k.machine().kernelLog().contains("WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp)"));
        assertEquals(List.of(), k.invariants().violations());
    }

    @Test
    void kmallocBucketsAreTheKernelsWithNinetySixAndOneNinetyTwo() {
        KernelModel k = Configs.boot(KernelConfig.B);
        assertEquals("kmalloc-96", k.slub().bucket(65).name);
        assertEquals("kmalloc-96", k.slub().bucket(96).name);
        assertEquals("kmalloc-128", k.slub().bucket(97).name);
        assertEquals("kmalloc-192", k.slub().bucket(129).name);
        assertEquals("kmalloc-256", k.slub().bucket(193).name);
        assertEquals("kmalloc-8k", k.slub().bucket(8192).name);
        assertEquals(5, k.slub().bucket(64).minPartial, "MIN_PARTIAL");
        assertEquals(6, k.slub().bucket(8192).minPartial, "ilog2(8192) / 2");
    }

    @Test
    void kfreeNolockInNmiWithTheLocalLockHeldDefersButAProbeFreesLocklessly() {
        KernelModel k = Configs.boot(KernelConfig.B);
        Cpu cpu = k.machine().cpu(0);
        int a = k.slub().kmalloc(cpu, 64);
        int b = k.slub().kmalloc(cpu, 64); // both in the CPU slab of kmalloc-64
        k.machine().setPointObserver((c, label, seq) -> {
            if (c.depth() == 0 && label.equals(Points.SLAB_ALLOC_CPU_SLAB)) { // the task holds the local lock
                c.run(ContextKind.NMI, "bpf", n -> k.slub().kfreeNolock(n, a));
                c.run(ContextKind.PROBE, "fentry/x", p -> k.slub().kfreeNolock(p, b));
            }
        });
        k.slub().kmalloc(cpu, 64);
        k.machine().setPointObserver(null);
        assertEquals(1, k.slub().deferredFrees(0), "the NMI's free was deferred; the probe's was not");
        assertEquals(1, k.slub().irqWork(cpu));
        assertEquals(1, k.invariants().accounting().objectsInUse());
        assertEquals(List.of(), k.invariants().violations());
    }

    @Test
    void stopAtFirstRaceEndsTheRunAtTheRaceAsKcsanWould() {
        KernelModel k = Configs.boot(KernelConfig.UP);
        k.stopAtFirstRace(true);
        Cpu cpu = k.machine().cpu(0);
        long flags = k.pages().zone.lock.lockIrqSave(cpu);
        k.pages().zone.section.enter(cpu); // the task inside the zone's lists
        io.ctxlock.api.KernelBug bug = org.junit.jupiter.api.Assertions.assertThrows(io.ctxlock.api.KernelBug.class,
                () -> cpu.run(ContextKind.NMI, "bpf", c -> k.pages().allocPagesNolock(c, 0)));
        assertEquals("data race", bug.invariant());
        k.pages().zone.section.exit(cpu);
        k.pages().zone.lock.unlockIrqRestore(cpu, flags);
    }
}
