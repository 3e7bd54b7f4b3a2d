package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;

/**
 * The page allocator of {@code mm/page_alloc.c}: one zone, a pcp per CPU, and the four entry
 * points {@code alloc_pages}, {@code free_pages}, {@code alloc_pages_nolock},
 * {@code free_pages_nolock}, plus {@code drain_pages_zone}.
 *
 * <ul>
 * <li>Orders up to {@code PAGE_ALLOC_COSTLY_ORDER} go through the pcp: trylock of {@code pcp->lock}
 *     with interrupts enabled (on UP inside the {@code local_irq_save} workaround of the
 *     configuration); a free adds and flushes {@code batch} pages to the zone when
 *     {@code count >= high}; an allocation refills {@code batch} pages from the zone when the list
 *     is empty ({@code rmqueue_bulk}). A failed pcp trylock sends a free straight to the zone and an
 *     allocation to {@code rmqueue_buddy}.
 * <li>{@code _nolock}: {@code can_spin_trylock()} first, then only trylocks; an allocation returns
 *     -1 when a trylock fails; a free is deferred on the zone's lock-free list, which the next
 *     locked {@code free_one_page} drains. A nolock free never flushes the pcp (FPI_TRYLOCK).
 * <li>Drain: the CPU's pcp back to the zone, {@code batch} pages per zone-lock hold, each hold
 *     ending in an irqrestore: the S1 window.
 * </ul>
 *
 * Memory ordering: everything is guarded by {@code zone->lock} and the pcp locks; the deferred
 * list is an MPSC queue. Addresses are pfns; -1 means "no page".
 */
public final class PageAllocator {
    /** The lock class of every pcp lock (the group of proposal C). */
    public static final String PCP_LOCK_CLASS = PerCpuPages.LOCK_CLASS;
    /** The lock class of zone->lock. */
    public static final String ZONE_LOCK_CLASS = Zone.LOCK_CLASS;
    private static final int PCP_BUSY = -2;

    final Zone zone;
    final PerCpuPages[] pcps;
    private final KernelConfig config;

    PageAllocator(Machine machine, KernelConfig config, int zonePages, int pcpHigh, int pcpBatch) {
        this.config = config;
        this.zone = new Zone(machine, zonePages);
        this.pcps = new PerCpuPages[machine.cpuCount()];
        for (int i = 0; i < pcps.length; i++) {
            pcps[i] = new PerCpuPages(machine, i, zonePages, pcpHigh, pcpBatch);
        }
    }

    /** {@code alloc_pages(order)}: the first pfn of a block the caller now owns, or -1. */
    public int allocPages(Cpu cpu, int order) {
        checkOrder(order);
        return alloc(cpu, order, PageState.CALLER, false);
    }

    /** {@code alloc_pages_nolock(order)}: trylocks only, callable from any context; -1 on failure. */
    public int allocPagesNolock(Cpu cpu, int order) {
        checkOrder(order);
        return alloc(cpu, order, PageState.CALLER, true);
    }

    /** {@code __free_pages(page, order)} of a block the caller owns. */
    public void freePages(Cpu cpu, int pfn, int order) {
        checkCallerBlock(cpu, pfn, order);
        free(cpu, pfn, order, PageState.CALLER, false);
    }

    /** {@code free_pages_nolock(page, order)}: callable from any context; may defer. */
    public void freePagesNolock(Cpu cpu, int pfn, int order) {
        checkCallerBlock(cpu, pfn, order);
        free(cpu, pfn, order, PageState.CALLER, true);
    }

    /** {@code drain_pages_zone()}: this CPU's pcp pages back to the zone. */
    public void drainPages(Cpu cpu) {
        PerCpuPages pcp = pcps[cpu.id()];
        long flags = 0;
        if (config.drainIrqsave()) {
            flags = pcp.lock.lockIrqSave(cpu);
        } else {
            pcp.lock.lock(cpu);
        }
        pcp.section.enter(cpu, "list_del corruption");
        while (pcp.count > 0) {
            freePcppagesBulk(cpu, pcp, Math.min(pcp.count, pcp.batch));
        }
        pcp.section.exit();
        if (config.drainIrqsave()) {
            pcp.lock.unlockIrqRestore(cpu, flags, Points.DRAIN_IRQRESTORE);
        } else {
            pcp.lock.unlock(cpu);
        }
    }

    /** The zone's size in pages. */
    public int zonePages() {
        return zone.pages;
    }

    /** Pages waiting on the zone's deferred list. */
    public int deferredPages() {
        return zone.deferred.size();
    }

    /** Finishes deferred page frees now: a locked free_one_page's drain, with nothing else freed. */
    public void flushDeferred(Cpu cpu) {
        long flags = zone.lock.lockIrqSave(cpu);
        zone.section.enter(cpu, "list_add corruption");
        PageFrame f;
        while ((f = zone.deferred.relaxedPoll()) != null) {
            undefer(cpu, f);
        }
        zone.section.exit();
        zone.lock.unlockIrqRestore(cpu, flags, Points.FREE_ONE_PAGE_IRQRESTORE);
    }

    private void undefer(Cpu cpu, PageFrame f) {
        zone.deferredFrames.addAndGet(-(1 << f.order));
        move(cpu, f.pfn, f.order, PageState.DEFERRED, PageState.BUDDY);
        zone.freeBlock(cpu, f.pfn, f.order);
    }

    int alloc(Cpu cpu, int order, PageState target, boolean nolock) {
        if (nolock && !config.canSpinTrylock(cpu)) {
            return -1;
        }
        if (order <= PerCpuPages.COSTLY_ORDER && !config.pcpBypass()) {
            int pfn = rmqueuePcplist(cpu, order, target, nolock);
            if (pfn != PCP_BUSY) {
                return pfn;
            }
        }
        return rmqueueBuddy(cpu, order, target, nolock);
    }

    void free(Cpu cpu, int pfn, int order, PageState from, boolean nolock) {
        if (nolock && !config.canSpinTrylock(cpu)) {
            defer(cpu, pfn, order, from);
            return;
        }
        if (order <= PerCpuPages.COSTLY_ORDER && !config.pcpBypass() && freeToPcp(cpu, pfn, order, from, nolock)) {
            return;
        }
        freeOnePage(cpu, pfn, order, from, nolock);
    }

    private int rmqueuePcplist(Cpu cpu, int order, PageState target, boolean nolock) {
        PerCpuPages pcp = pcps[cpu.id()];
        long upFlags = config.upPcpIrqsave() ? cpu.localIrqSave() : 0;
        if (!pcp.lock.tryLock(cpu)) {
            upRestore(cpu, upFlags);
            return PCP_BUSY;
        }
        pcp.section.enter(cpu, "list_del corruption");
        if (pcp.length(order) == 0) {
            rmqueueBulk(cpu, pcp, order, nolock);
        }
        cpu.interruptPoint(Points.RMQUEUE_PCPLIST);
        int pfn = pcp.pop(order);
        if (pfn >= 0) {
            move(cpu, pfn, order, PageState.PCP, target);
        }
        pcp.section.exit();
        pcp.lock.unlock(cpu);
        upRestore(cpu, upFlags);
        return pfn;
    }

    private void rmqueueBulk(Cpu cpu, PerCpuPages pcp, int order, boolean nolock) {
        long flags = lockZone(cpu, nolock);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return;
        }
        zone.section.enter(cpu, "list_del corruption");
        for (int i = 0; i < pcp.batch; i++) {
            cpu.interruptPoint(Points.RMQUEUE_BULK_LOOP);
            int pfn = zone.rmqueueSmallest(cpu, order);
            if (pfn < 0) {
                break;
            }
            move(cpu, pfn, order, PageState.BUDDY, PageState.PCP);
            pcp.push(pfn, order);
        }
        zone.section.exit();
        zone.lock.unlockIrqRestore(cpu, flags, Points.RMQUEUE_BULK_IRQRESTORE);
    }

    private int rmqueueBuddy(Cpu cpu, int order, PageState target, boolean nolock) {
        long flags = lockZone(cpu, nolock);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return -1;
        }
        zone.section.enter(cpu, "list_del corruption");
        cpu.interruptPoint(Points.RMQUEUE_BUDDY);
        int pfn = zone.rmqueueSmallest(cpu, order);
        if (pfn >= 0) {
            move(cpu, pfn, order, PageState.BUDDY, target);
        }
        zone.section.exit();
        zone.lock.unlockIrqRestore(cpu, flags, Points.RMQUEUE_BUDDY_IRQRESTORE);
        return pfn;
    }

    private boolean freeToPcp(Cpu cpu, int pfn, int order, PageState from, boolean nolock) {
        PerCpuPages pcp = pcps[cpu.id()];
        long upFlags = config.upPcpIrqsave() ? cpu.localIrqSave() : 0;
        if (!pcp.lock.tryLock(cpu)) {
            upRestore(cpu, upFlags);
            return false;
        }
        pcp.section.enter(cpu, "list_add corruption");
        cpu.interruptPoint(Points.FREE_PCP_LIST_ADD);
        move(cpu, pfn, order, from, PageState.PCP);
        pcp.push(pfn, order);
        if (!nolock && pcp.count >= pcp.high) {
            freePcppagesBulk(cpu, pcp, pcp.batch);
        }
        pcp.section.exit();
        pcp.lock.unlock(cpu);
        upRestore(cpu, upFlags);
        return true;
    }

    /** {@code free_pcppages_bulk()}: pcp lock held by the caller; one zone-lock hold. */
    private void freePcppagesBulk(Cpu cpu, PerCpuPages pcp, int count) {
        count = Math.min(count, pcp.count);
        long flags = zone.lock.lockIrqSave(cpu);
        zone.section.enter(cpu, "list_add corruption");
        int order = 0;
        while (count > 0) {
            cpu.interruptPoint(Points.FREE_PCPPAGES_BULK_LOOP);
            int tries = 0;
            while (pcp.length(order) == 0 && tries++ <= PerCpuPages.COSTLY_ORDER) {
                order = (order + 1) % (PerCpuPages.COSTLY_ORDER + 1);
            }
            int pfn = pcp.pop(order);
            if (pfn < 0) {
                throw KernelBug.report(cpu, "mm/page_alloc.c: free_pcppages_bulk", "pcp count mismatch",
                        "pcp->count says " + pcp.count + " pages but every list is empty");
            }
            count -= 1 << order;
            move(cpu, pfn, order, PageState.PCP, PageState.BUDDY);
            zone.freeBlock(cpu, pfn, order);
        }
        zone.section.exit();
        zone.lock.unlockIrqRestore(cpu, flags, Points.FREE_PCPPAGES_BULK_IRQRESTORE);
    }

    /** {@code free_one_page()}: straight to the buddy lists; deferred if a nolock trylock fails. */
    private void freeOnePage(Cpu cpu, int pfn, int order, PageState from, boolean nolock) {
        long flags = lockZone(cpu, nolock);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            defer(cpu, pfn, order, from);
            return;
        }
        zone.section.enter(cpu, "list_add corruption");
        move(cpu, pfn, order, from, PageState.BUDDY);
        zone.freeBlock(cpu, pfn, order);
        if (!nolock) {
            PageFrame f;
            while ((f = zone.deferred.relaxedPoll()) != null) { // the lock succeeded: process deferred pages
                undefer(cpu, f);
            }
        }
        zone.section.exit();
        zone.lock.unlockIrqRestore(cpu, flags, Points.FREE_ONE_PAGE_IRQRESTORE);
    }

    private void defer(Cpu cpu, int pfn, int order, PageState from) {
        move(cpu, pfn, order, from, PageState.DEFERRED);
        zone.deferredFrames.addAndGet(1 << order);
        if (!zone.deferred.offer(zone.frames[pfn])) {
            throw new IllegalStateException("deferred page list full"); // capacity = pages: cannot happen
        }
    }

    private long lockZone(Cpu cpu, boolean nolock) {
        return nolock ? zone.lock.tryLockIrqSave(cpu) : zone.lock.lockIrqSave(cpu);
    }

    private void upRestore(Cpu cpu, long upFlags) {
        if (config.upPcpIrqsave()) {
            cpu.localIrqRestore(upFlags, Points.PCP_UNLOCK_IRQRESTORE);
        }
    }

    /** Moves every frame of a block from one place to another; a frame found elsewhere is a BUG. */
    void move(Cpu cpu, int pfn, int order, PageState from, PageState to) {
        PageFrame[] frames = zone.frames;
        for (int i = pfn; i < pfn + (1 << order); i++) {
            if (frames[i].state != from) {
                throw KernelBug.report(cpu, "mm/page_alloc.c: bad_page", "page in two places",
                        "pfn " + i + " is " + frames[i].state + ", expected " + from + " (moving to " + to + ")");
            }
        }
        for (int i = pfn; i < pfn + (1 << order); i++) {
            frames[i].state = to;
            frames[i].order = -1; // a tail page: only the head carries the order
        }
        frames[pfn].order = order;
    }

    private void checkOrder(int order) {
        if (order < 0 || order > zone.maxOrder) {
            throw new IllegalArgumentException("order " + order + " outside 0.." + zone.maxOrder);
        }
    }

    private void checkCallerBlock(Cpu cpu, int pfn, int order) {
        checkOrder(order);
        String problem = null;
        if (pfn < 0 || pfn + (1 << order) > zone.pages || (pfn & ((1 << order) - 1)) != 0) {
            problem = "pfn " + pfn + " is not a block of order " + order + " in this zone";
        } else if (zone.frames[pfn].state != PageState.CALLER) {
            problem = "pfn " + pfn + " is " + zone.frames[pfn].state + ", not allocated to a caller";
        } else if (zone.frames[pfn].order != order) {
            problem = "pfn " + pfn + " was allocated with order " + zone.frames[pfn].order + ", freed with order " + order;
        }
        if (problem != null) {
            String text = "BUG: Bad page state in process " + cpu.contextName() + " on CPU#" + cpu.id() + ": " + problem;
            cpu.machine().kernelLog().printk(cpu, text);
            throw new BadFreeException.BadPage(text);
        }
    }
}
