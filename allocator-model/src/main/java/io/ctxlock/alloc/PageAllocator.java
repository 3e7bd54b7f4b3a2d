package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.SpinLock;

/**
 * The page allocator of {@code mm/page_alloc.c}: one zone, a pcp per CPU, and the entry points
 * {@code alloc_pages}, {@code free_pages}, {@code alloc_pages_nolock}, {@code free_pages_nolock},
 * plus {@code drain_pages_zone}.
 *
 * <ul>
 * <li>{@code rmqueue()}: orders up to {@code PAGE_ALLOC_COSTLY_ORDER} try the pcp first
 *     ({@code rmqueue_pcplist()}: trylock of {@code pcp->lock} with interrupts enabled, on UP inside
 *     the {@code local_irq_save} workaround of the configuration; an empty list refills {@code batch}
 *     blocks through {@code rmqueue_bulk()}); whatever the pcp could not give (trylock failed, the
 *     refill got nothing) falls back to {@code rmqueue_buddy()}. Larger orders go to the buddy lists.
 * <li>{@code alloc_pages_nolock()} ({@code alloc_frozen_pages_nolock_noprof()}): gives up before any
 *     lock on an order above 3 ({@code pcp_allowed_order()}) and where {@code can_spin_trylock()}
 *     refuses (configuration E, RT); otherwise as above with every zone lock a trylock
 *     ({@code ALLOC_TRYLOCK}): a busy zone makes {@code rmqueue_bulk()} return 0 and
 *     {@code rmqueue_buddy()} return NULL.
 * <li>{@code alloc_pages()} of an order above {@code MAX_PAGE_ORDER} (or a negative one, an
 *     unsigned order in the kernel) returns NULL after one {@code WARN_ON_ONCE_GFP} in the kernel log.
 * <li>Frees ({@code __free_frozen_pages()}): an order above 3 goes to {@code free_one_page()}; a pcp
 *     order to the pcp ({@code free_frozen_page_commit()}, flushing {@code batch} pages to the zone
 *     when {@code count >= high}, never for a nolock free), or to {@code free_one_page()} if the pcp
 *     trylock fails. A nolock free whose zone trylock fails, and on RT (NMI, hardirq) and E (NMI)
 *     any nolock free of a pcp order, is deferred on {@code zone->trylock_free_pages}, which the next
 *     free_one_page without FPI_TRYLOCK drains.
 * <li>Drain: the CPU's pcp back to the zone, {@code batch} pages per zone-lock hold, each hold
 *     ending in an irqrestore: the S1 window.
 * </ul>
 *
 * Memory ordering: everything is guarded by {@code zone->lock} and the pcp locks; the deferred
 * list is an MPSC queue. Addresses are pfns; -1 means "no page" (NULL).
 */
public final class PageAllocator {
    /** The lock class of every pcp lock (the group of proposal C). */
    public static final String PCP_LOCK_CLASS = PerCpuPages.LOCK_CLASS;
    /** The lock class of zone->lock. */
    public static final String ZONE_LOCK_CLASS = Zone.LOCK_CLASS;

    /** {@code CONFIG_PCP_BATCH_SCALE_MAX}, its default. */
    static final int PCP_BATCH_SCALE_MAX = 5;

    final Zone zone;
    final PerCpuPages[] pcps;
    private final KernelModel model;
    private final KernelConfig config;

    PageAllocator(Machine machine, KernelModel model, KernelConfig config, int zonePages, int pcpHigh, int pcpBatch) {
        this.model = model;
        this.config = config;
        this.zone = new Zone(machine, model, model.lists(), zonePages);
        this.pcps = new PerCpuPages[machine.cpuCount()];
        for (int i = 0; i < pcps.length; i++) {
            pcps[i] = new PerCpuPages(machine, model, model.lists(), i, pcpHigh, pcpBatch);
        }
    }

    /** {@code alloc_pages(GFP_ATOMIC, order)}: the first pfn of a block the caller now owns, or -1. */
    public int allocPages(Cpu cpu, int order) {
        if (order < 0 || order > zone.maxOrder) {
            cpu.machine().kernelLog().warnOnce(cpu, "mm/page_alloc.c", "__alloc_frozen_pages_noprof",
                    "WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp)",
                    "order " + Integer.toUnsignedString(order) + " > " + zone.maxOrder);
            return -1;
        }
        return rmqueue(cpu, order, PageState.CALLER, false);
    }

    /** {@code kmalloc_large()}'s pages: as {@link #allocPages}, owned by kmalloc. */
    int allocLarge(Cpu cpu, int order) {
        if (order < 0 || order > zone.maxOrder) {
            return allocPages(cpu, order); // the WARN and NULL
        }
        return rmqueue(cpu, order, PageState.KMALLOC_LARGE, false);
    }

    /** {@code alloc_pages_nolock(order)}: trylocks only, callable from any context; -1 on failure. */
    public int allocPagesNolock(Cpu cpu, int order) {
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

    /**
     * {@code drain_pages_zone()} as in v6.18, before 038a102535eb: this CPU's pcp back to the zone,
     * up to {@code pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX} pages per hold of {@code pcp->lock},
     * taken with a plain {@code spin_lock()} (interrupts stay on) or, in configurations with that
     * fix, {@code pcp_spin_lock_maybe_irqsave()}.
     */
    public void drainPages(Cpu cpu) {
        drainPagesZone(cpu, cpu.id());
    }

    /**
     * {@code drain_pages_zone(target, zone)} run on {@code cpu}: CPU {@code target}'s pcp back to the
     * zone, as {@link #drainPages}. Since v6.0 (443c2accd1b6, "mm/page_alloc: remotely drain per-cpu
     * lists": {@code __drain_all_pages()} drains each CPU's pcp from the caller under the pcp spinlock)
     * the caller need not be the pcp's CPU; the pcp lock then stands between them.
     */
    public void drainPagesZone(Cpu cpu, int target) {
        PcpDrain d = new PcpDrain(this, pcp(target), config.drainIrqsave());
        while (!d.next(cpu)) {
            // the phases of one drain, without a switch point between them
        }
    }

    /**
     * {@link #drainPagesZone} as steps for a stepped machine ({@link Program}): {@code pcp->lock}
     * taken; {@code zone->lock} taken in {@code free_pcppages_bulk()}; the pages back and the zone
     * unlocked; the pcp unlocked. Another CPU may run between any two, so it can meet either lock
     * held. A pcp holding more than one round's pages finishes its further rounds in the last step;
     * an empty one makes the two middle steps no-ops. Each run of the program is one drain; the drain
     * in flight is kept per CPU, so one program may be loaded on several CPUs.
     */
    public Program drainPagesZoneSteps(int target) {
        return PcpDrain.steps(this, pcp(target), config.drainIrqsave(), pcps.length);
    }

    private PerCpuPages pcp(int target) {
        if (target < 0 || target >= pcps.length) {
            throw new IllegalArgumentException("no pcp of CPU#" + target + ": the machine has " + pcps.length + " CPUs");
        }
        return pcps[target];
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
        zone.section.enter(cpu);
        drainDeferred(cpu);
        zone.section.exit(cpu);
        zone.lock.unlockIrqRestore(cpu, flags, Points.FREE_ONE_PAGE_IRQRESTORE);
    }

    private void drainDeferred(Cpu cpu) {
        PageFrame f;
        while ((f = zone.deferred.relaxedPoll()) != null) {
            zone.deferredFrames.addAndGet(-(1 << f.order));
            move(cpu, f.pfn, f.order, PageState.DEFERRED, PageState.BUDDY);
            zone.freeBlock(cpu, f.pfn, f.order);
        }
    }

    /** The nolock checks, then {@code rmqueue()}; SLUB's new slabs come here too. */
    int alloc(Cpu cpu, int order, PageState target, boolean nolock) {
        if (nolock && (!config.canSpinTrylock(cpu) || order < 0 || order > PerCpuPages.COSTLY_ORDER)) {
            model.note(cpu, Mechanism.REFUSED_EARLY);
            return -1;
        }
        return rmqueue(cpu, order, target, nolock);
    }

    private int rmqueue(Cpu cpu, int order, PageState target, boolean nolock) {
        if (order <= PerCpuPages.COSTLY_ORDER) {
            if (config.pcpBypass()) {
                model.note(cpu, Mechanism.PCP_BYPASSED);
            } else {
                int pfn = rmqueuePcplist(cpu, order, target, nolock);
                if (pfn >= 0) {
                    return pfn;
                }
            }
        }
        return rmqueueBuddy(cpu, order, target, nolock);
    }

    void free(Cpu cpu, int pfn, int order, PageState from, boolean nolock) {
        if (order <= PerCpuPages.COSTLY_ORDER) {
            if (nolock && !config.canSpinTrylock(cpu)) { // RT in NMI/hardirq; E in NMI (July 2026)
                defer(cpu, pfn, order, from);
                return;
            }
            if (config.pcpBypass()) {
                model.note(cpu, Mechanism.PCP_BYPASSED);
            } else if (freeToPcp(cpu, pfn, order, from, nolock)) {
                return;
            }
        }
        freeOnePage(cpu, pfn, order, from, nolock);
    }

    /** {@code rmqueue_pcplist()} and {@code __rmqueue_pcplist()}: a page, or -1 (fall back to the buddy lists). */
    private int rmqueuePcplist(Cpu cpu, int order, PageState target, boolean nolock) {
        PerCpuPages pcp = pcps[cpu.id()];
        long upFlags = config.upPcpIrqsave() ? cpu.localIrqSave() : 0;
        if (!pcp.lock.tryLock(cpu)) {
            upRestore(cpu, upFlags);
            return -1;
        }
        pcp.section.enter(cpu);
        if (pcp.isEmpty(order)) {
            pcp.count += rmqueueBulk(cpu, pcp, order, nolock) << order;
        }
        int pfn = pcp.first(order);
        if (pfn >= 0) {
            cpu.interruptPoint(Points.RMQUEUE_PCPLIST);
            pcp.del(cpu, pfn);
            pcp.count -= 1 << order;
            move(cpu, pfn, order, PageState.PCP, target);
        }
        pcp.section.exit(cpu);
        pcp.lock.unlock(cpu);
        upRestore(cpu, upFlags);
        return pfn;
    }

    /** {@code rmqueue_bulk()}: up to {@code batch} blocks onto the pcp list; how many it got (0 if the zone trylock failed). */
    private int rmqueueBulk(Cpu cpu, PerCpuPages pcp, int order, boolean nolock) {
        long flags = lockZone(cpu, nolock);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return 0;
        }
        zone.section.enter(cpu);
        int i = 0;
        for (; i < pcp.batch; i++) {
            int pfn = zone.rmqueueSmallest(cpu, order, Points.RMQUEUE_BULK_LOOP);
            if (pfn < 0) {
                break;
            }
            move(cpu, pfn, order, PageState.BUDDY, PageState.PCP);
            pcp.addTail(cpu, pfn, order);
        }
        zone.section.exit(cpu);
        zone.lock.unlockIrqRestore(cpu, flags, Points.RMQUEUE_BULK_IRQRESTORE);
        return i;
    }

    private int rmqueueBuddy(Cpu cpu, int order, PageState target, boolean nolock) {
        long flags = lockZone(cpu, nolock);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return -1;
        }
        zone.section.enter(cpu);
        int pfn = zone.rmqueueSmallest(cpu, order, Points.RMQUEUE_BUDDY);
        if (pfn >= 0) {
            move(cpu, pfn, order, PageState.BUDDY, target);
        }
        zone.section.exit(cpu);
        zone.lock.unlockIrqRestore(cpu, flags, Points.RMQUEUE_BUDDY_IRQRESTORE);
        return pfn;
    }

    /** {@code free_frozen_page_commit()} under a pcp trylock; false if the trylock failed. */
    private boolean freeToPcp(Cpu cpu, int pfn, int order, PageState from, boolean nolock) {
        PerCpuPages pcp = pcps[cpu.id()];
        long upFlags = config.upPcpIrqsave() ? cpu.localIrqSave() : 0;
        if (!pcp.lock.tryLock(cpu)) {
            upRestore(cpu, upFlags);
            return false;
        }
        pcp.section.enter(cpu);
        cpu.interruptPoint(Points.FREE_PCP_LIST_ADD);
        move(cpu, pfn, order, from, PageState.PCP);
        pcp.add(cpu, pfn, order);
        pcp.count += 1 << order;
        if (!nolock && pcp.count >= pcp.high) { // FPI_TRYLOCK: "let pcp->count get over high mark temporarily"
            FreePcppagesBulk.run(this, cpu, pcp, pcp.batch);
        }
        pcp.section.exit(cpu);
        pcp.lock.unlock(cpu);
        upRestore(cpu, upFlags);
        return true;
    }

    /** {@code free_one_page()}: straight to the buddy lists; a nolock free whose trylock fails is deferred. */
    private void freeOnePage(Cpu cpu, int pfn, int order, PageState from, boolean nolock) {
        long flags = lockZone(cpu, nolock);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            defer(cpu, pfn, order, from);
            return;
        }
        zone.section.enter(cpu);
        move(cpu, pfn, order, from, PageState.BUDDY);
        zone.freeBlock(cpu, pfn, order);
        if (!nolock) {
            drainDeferred(cpu); // the lock was taken without FPI_TRYLOCK: finish deferred pages
        }
        zone.section.exit(cpu);
        zone.lock.unlockIrqRestore(cpu, flags, Points.FREE_ONE_PAGE_IRQRESTORE);
    }

    /** {@code add_page_to_zone_llist()}. */
    private void defer(Cpu cpu, int pfn, int order, PageState from) {
        model.note(cpu, Mechanism.DEFERRED);
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

    /**
     * Moves every frame of a block from one place to another. A frame found elsewhere, or a block
     * that is not one (a page's order overwritten through a broken list), is what the kernel's
     * {@code check_new_pages()}/{@code free_page_is_bad()} report through {@code bad_page()}: "BUG:
     * Bad page state". The kernel then takes the page out of use and goes on; the model stops the
     * run there (a simplification: what would follow is already corruption).
     */
    void move(Cpu cpu, int pfn, int order, PageState from, PageState to) {
        PageFrame[] frames = zone.frames;
        if (order < 0 || order > zone.maxOrder || pfn < 0 || (pfn & ((1 << order) - 1)) != 0
                || pfn + (1 << order) > zone.pages) {
            throw badPage(cpu, Math.max(0, pfn), "pfn " + pfn + " with order " + order + " is not a block of this zone:"
                    + " its page->order was overwritten (moving from " + from + " to " + to + ")");
        }
        for (int i = pfn; i < pfn + (1 << order); i++) {
            if (frames[i].state != from) {
                throw badPage(cpu, i, "pfn " + i + " is " + frames[i].state + ", expected " + from + " (moving to " + to
                        + "): the page is in two places");
            }
        }
        for (int i = pfn; i < pfn + (1 << order); i++) {
            frames[i].state = to;
            frames[i].order = -1; // a tail page: only the head carries the order
        }
        frames[pfn].order = order;
    }

    private static KernelBug badPage(Cpu cpu, int pfn, String detail) {
        return KernelBug.titled(cpu, "mm/page_alloc.c: bad_page", "Bad page state", "BUG: Bad page state in process task"
                + "  pfn:" + String.format("%05x", pfn), detail); // comm of the CPU's one task
    }

    private void checkCallerBlock(Cpu cpu, int pfn, int order) {
        String problem = null;
        if (order < 0 || order > zone.maxOrder) {
            problem = "order " + order + " outside 0.." + zone.maxOrder;
        } else if (pfn < 0 || pfn + (1 << order) > zone.pages || (pfn & ((1 << order) - 1)) != 0) {
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
