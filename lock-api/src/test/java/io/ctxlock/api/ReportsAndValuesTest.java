package io.ctxlock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.contract.ReferenceBackend;
import io.ctxlock.api.spi.OwnerTag;
import io.ctxlock.api.spi.Splat;
import org.junit.jupiter.api.Test;

/** The texts and values users read: kernel log, reports, lock classes, counts, the machine's own description. */
class ReportsAndValuesTest {
    private final Machine m = TestMachines.up();
    private final Cpu cpu = m.cpu(0);

    @Test
    void kernelBugsAreWrittenToTheLogWithTheirKernelTitles() {
        KernelBug bug = KernelBug.report(cpu, "mm/slub.c: freeze_slab", "VM_BUG_ON(new.frozen)", "slab 3");
        assertTrue(bug.getMessage().startsWith("kernel BUG at mm/slub.c: freeze_slab: VM_BUG_ON(new.frozen)\n slab 3\n"));
        assertEquals("VM_BUG_ON(new.frozen)", bug.invariant());
        assertEquals("mm/slub.c: freeze_slab", bug.where());
        assertEquals(0, bug.cpu());
        assertEquals("task", bug.context());
        KernelBug titled = KernelBug.titled(cpu, "mm/page_alloc.c: bad_page", "Bad page state",
                "BUG: Bad page state in process task  pfn:00010", "in two places");
        assertTrue(titled.getMessage().startsWith("BUG: Bad page state in process task  pfn:00010\n in two places\n"));
        cpu.run(ContextKind.NMI, "perf", c -> {
            KernelBug warn = KernelBug.warning(c, "lib/list_debug.c: x", "list_del corruption", "detail");
            assertTrue(warn.getMessage().startsWith("WARNING: CPU: 0 PID: 1 at lib/list_debug.c: x\n detail\n"),
                    warn.getMessage());
            assertEquals("NMI(perf)", warn.context());
        });
        assertEquals(3, m.kernelLog().size(), "each written once, when made");
        assertTrue(m.kernelLog().contains("pfn:00010"));
        assertFalse(m.kernelLog().contains("nothing like this"));
    }

    @Test
    void theKernelLogNumbersItsEntriesWarnsOncePerSiteAndClears() {
        KernelLog log = m.kernelLog();
        assertTrue(log.warnOnce(cpu, "a.c", "f", "WARN_ON_ONCE(x)", ""));
        assertFalse(log.warnOnce(cpu, "a.c", "f", "WARN_ON_ONCE(x)", "other detail"), "once per site");
        assertTrue(log.warnOnce(cpu, "a.c", "g", "WARN_ON_ONCE(x)", "d"), "another site warns too");
        log.append(0, "-", "-", "third");
        assertEquals(3, log.size());
        assertEquals(java.util.List.of(1L, 2L, 3L), log.entries().stream().map(KernelLog.Entry::seq).toList());
        assertTrue(log.toString().startsWith("[     1] CPU: 0 task (task)"), log.toString());
        assertTrue(log.entries().get(1).text().contains("\n d\n"), "the detail line");
        log.clear();
        assertEquals(0, log.size());
        assertEquals("", log.toString());
    }

    @Test
    void lockClassesAreValuesAndSayWhetherTheyAreTheAnyContextKind() {
        LockClass plain = LockClass.of("zone->lock");
        LockClass anyContext = LockClass.anyContext("zone->lock");
        assertFalse(plain.isAnyContext());
        assertTrue(anyContext.isAnyContext());
        assertEquals(LockClass.of("zone->lock"), plain);
        assertEquals(LockClass.of("zone->lock").hashCode(), plain.hashCode());
        assertNotEquals(plain, anyContext);
        assertNotEquals(plain.hashCode(), anyContext.hashCode());
        assertNotEquals(plain, LockClass.of("pcp->lock"));
        assertNotEquals(plain, "zone->lock");
        assertEquals("zone->lock", plain.toString());
        assertTrue(anyContext.toString().startsWith("zone->lock") && !anyContext.toString().equals("zone->lock"), anyContext.toString());
    }

    @Test
    void preemptCountReadsAndPrintsEveryField() {
        assertTrue(PreemptCount.inSoftirq(PreemptCount.SOFTIRQ_DISABLE_OFFSET), "bh disabled counts as in_softirq()");
        assertFalse(PreemptCount.inSoftirq(PreemptCount.HARDIRQ_OFFSET | 0xff));
        assertNull(PreemptCount.overflow(0xfe, 1));
        assertEquals("preempt", PreemptCount.overflow(0xff, 1));
        assertNull(PreemptCount.overflow(0xfe00, 0x100));
        assertEquals("softirq", PreemptCount.overflow(0xff00, 0x100));
        assertNull(PreemptCount.overflow(0xe0000, 0x10000));
        assertEquals("hardirq", PreemptCount.overflow(0xf0000, 0x10000));
        assertNull(PreemptCount.overflow(0xe00000, 0x100000));
        assertEquals("NMI", PreemptCount.overflow(0xf00000, 0x100000));
        assertEquals("preempt_count=0x00320203 (preempt=3 softirq=0x200 hardirq=2 nmi=3)",
                PreemptCount.describe(0x00320203));
    }

    @Test
    void theMachineDescribesItselfAndRefusesBadCpus() {
        Machine two = Machine.builder().backend(new ReferenceBackend()).cpus(2).preemptRt(true).build();
        assertEquals(2, two.cpuCount());
        assertEquals(1, two.cpu(1).id());
        assertThrows(IllegalArgumentException.class, () -> two.cpu(2));
        assertThrows(IllegalArgumentException.class, () -> two.cpu(-1));
        assertThrows(IllegalArgumentException.class, () -> Machine.builder().backend(new ReferenceBackend()).cpus(0).build());
        assertTrue(two.toString().endsWith(", 2 CPUs, PREEMPT_RT]"), two.toString());
        assertTrue(m.toString().endsWith(", 1 CPU]"), m.toString());
        assertEquals(two.backend().name(), new ReferenceBackend().name());
        PointObserver o = (c, l, s) -> { };
        m.setPointObserver(o);
        assertEquals(o, m.pointObserver());
        assertTrue(m.debugLocks());
        assertTrue(m.debugLocksOff());
        assertFalse(m.debugLocksOff(), "only the first caller switches it off");
        assertFalse(m.debugLocks());
    }

    @Test
    void splatsAndSmallValuesReadAsTheKernelWouldPrintThem() {
        SpinLock a = m.newSpinLock("a");
        assertEquals("BUG: spinlock wrong owner on CPU#0, task/1\n lock: a, .magic: dead4ead, .owner: <none>/-1,"
                + " .owner_cpu: -1\n contexts: task\n preempt_count=0x00000000 (preempt=0 softirq=0x0 hardirq=0 nmi=0),"
                + " irqs enabled\n held locks: none", Splat.spinDump(cpu, a.name(), false, -1, "wrong owner"));
        assertEquals("task/3", Splat.current(2));
        assertEquals("?", Splat.describeOwner(m, OwnerTag.of(5, 0)), "a CPU this machine does not have");
        assertEquals("task", Splat.describeOwner(m, OwnerTag.of(0, 0)));
        cpu.localIrqDisable();
        assertTrue(Splat.cpu(cpu, "x").contains("irqs disabled"));
        cpu.localIrqEnable();
        assertEquals("nested", TryResult.NESTED.reason());
        assertEquals("other CPU", TryResult.OTHER_CPU.reason());
        assertEquals("NMI(perf)", Interrupt.nmi("perf", c -> { }).toString());
        LockupException e = new LockupException("r", 1, "l", 0);
        assertEquals(1, e.cpu());
        assertEquals("l", e.lockName());
        assertEquals(0, e.holderCpu());
    }

    @Test
    void guardsTellTheirLockAndFlagsAndLocalGuardsUnlock() {
        SpinLock a = m.newSpinLock("a");
        LockGuard g = a.guardIrqSave(cpu);
        assertEquals(a, g.lock());
        assertNotEquals(0L, g.flags());
        g.close();
        assertNull(g.lock());
        assertThrows(IllegalStateException.class, g::close, "closing twice throws");
        try (LockGuard p = a.guard(cpu)) {
            assertEquals(0L, p.flags());
        }
        assertFalse(a.isHeldByCurrentContext(cpu), "guard(spinlock) unlocked on close");
        assertEquals(0, cpu.preemptCount());
        LocalTryLock l = m.newLocalTryLock("l").of(0);
        try (LockGuard p = l.tryGuard(cpu)) {
            assertTrue(l.isLocked());
        }
        assertFalse(l.isLocked(), "the local guard unlocked on close");
        assertEquals(0, cpu.preemptCount());
    }
}
