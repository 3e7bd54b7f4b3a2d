package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;

/**
 * {@code free_pcppages_bulk()} ({@code mm/page_alloc.c}, v6.18): pages of a pcp back to the buddy
 * lists under {@code zone->lock}, the pcp lock held by the caller. {@code count} is read from
 * {@code pcp->count} before {@code zone->lock} disables interrupts, and the list search trusts it.
 * In two halves so that a remote drain ({@link PcpDrain}) can end a step holding the zone lock.
 */
final class FreePcppagesBulk {
    private FreePcppagesBulk() {}

    /** The whole of it, as {@code free_frozen_page_commit()} calls it past {@code pcp->high}. */
    static void run(PageAllocator pa, Cpu cpu, PerCpuPages pcp, int count) {
        count = Math.min(count, pcp.count);
        long flags = lockZone(pa, cpu);
        free(pa, cpu, pcp, count, flags);
    }

    /** The start: the count was read; then {@code zone->lock} with irqsave. */
    static long lockZone(PageAllocator pa, Cpu cpu) {
        cpu.interruptPoint(Points.FREE_PCPPAGES_BULK_COUNT); // pcp->lock held, interrupts still on
        long flags = pa.zone.lock.lockIrqSave(cpu);
        pa.zone.section.enter(cpu);
        return flags;
    }

    /** The loop and the unlock, {@code zone->lock} held with {@code flags}. */
    static void free(PageAllocator pa, Cpu cpu, PerCpuPages pcp, int count, long flags) {
        Zone zone = pa.zone;
        int order = PerCpuPages.COSTLY_ORDER;
        while (count > 0) {
            int tries = 0;
            while (pcp.isEmpty(order)) { // the round-robin search over pcp->lists[]
                order = (order + 1) % (PerCpuPages.COSTLY_ORDER + 1);
                if (++tries > PerCpuPages.COSTLY_ORDER) {
                    throw KernelBug.report(cpu, "mm/page_alloc.c: free_pcppages_bulk", "hard LOCKUP",
                            "pcp->count says " + pcp.count + " pages but every pcp list is empty: the search for a"
                                    + " non-empty list loops forever with interrupts off (watchdog: Watchdog detected"
                                    + " hard LOCKUP on cpu " + cpu.id() + ")");
                }
            }
            int pfn = pcp.last(order);
            cpu.interruptPoint(Points.FREE_PCPPAGES_BULK_LOOP);
            pcp.del(cpu, pfn);
            count -= 1 << order;
            pcp.count -= 1 << order;
            pa.move(cpu, pfn, order, PageState.PCP, PageState.BUDDY);
            zone.freeBlock(cpu, pfn, order);
        }
        zone.section.exit(cpu);
        zone.lock.unlockIrqRestore(cpu, flags, Points.FREE_PCPPAGES_BULK_IRQRESTORE);
    }
}
