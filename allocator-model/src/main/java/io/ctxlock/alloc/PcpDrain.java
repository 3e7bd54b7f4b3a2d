package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Program;

/**
 * One {@code drain_pages_zone()} ({@code mm/page_alloc.c}, v6.18) as a resumable operation, so that
 * a stepped machine can let another CPU run while it holds {@code pcp->lock} or {@code zone->lock}:
 * <ol>
 * <li>{@code spin_lock(&pcp->lock)} (or the irqsave of 038a102535eb), {@code count = pcp->count};
 * <li>{@code free_pcppages_bulk()}: the count it trusts, then {@code spin_lock_irqsave(&zone->lock)};
 * <li>the pages back to the buddy lists, {@code spin_unlock_irqrestore(&zone->lock)};
 * <li>{@code spin_unlock(&pcp->lock)}; another round while pages are left.
 * </ol>
 * Run on one CPU, by its thread; the same code paths and interrupt points as the direct call.
 */
final class PcpDrain {
    private enum Phase { LOCK_PCP, LOCK_ZONE, FREE, UNLOCK_PCP, DONE }

    private final PageAllocator pa;
    private final PerCpuPages pcp;
    private final boolean irqsave;
    private Phase phase = Phase.LOCK_PCP;
    private long pcpFlags;
    private long zoneFlags;
    private int count;
    private int toDrain;
    private int bulk;

    PcpDrain(PageAllocator pa, PerCpuPages pcp, boolean irqsave) {
        this.pa = pa;
        this.pcp = pcp;
        this.irqsave = irqsave;
    }

    /** {@link PageAllocator#drainPagesZoneSteps}: the drain as four steps, each CPU's drain in flight its own. */
    static Program steps(PageAllocator pa, PerCpuPages pcp, boolean irqsave, int cpus) {
        PcpDrain[] drains = new PcpDrain[cpus];
        return Program.of(
                Program.step(Points.STEP_DRAIN_PCP_LOCKED, c -> {
                    drains[c.id()] = new PcpDrain(pa, pcp, irqsave);
                    drains[c.id()].next(c);
                }),
                Program.step(Points.STEP_BULK_ZONE_LOCKED, c -> {
                    if (drains[c.id()].atZoneLock()) {
                        drains[c.id()].next(c);
                    }
                }),
                Program.step(Points.STEP_BULK_ZONE_UNLOCKED, c -> {
                    if (drains[c.id()].atFree()) {
                        drains[c.id()].next(c);
                    }
                }),
                Program.step(Points.STEP_DRAIN_PCP_UNLOCKED, c -> {
                    while (!drains[c.id()].next(c)) {
                        // further rounds, if any, inside this step
                    }
                }));
    }

    /** Whether the next phase is {@code free_pcppages_bulk()}'s zone lock. */
    boolean atZoneLock() {
        return phase == Phase.LOCK_ZONE;
    }

    /** Whether the next phase returns the pages under the zone lock. */
    boolean atFree() {
        return phase == Phase.FREE;
    }

    /** Runs the next phase on {@code cpu}; true once the drain is done (and on every call after). */
    boolean next(Cpu cpu) {
        switch (phase) {
            case LOCK_PCP:
                if (irqsave) {
                    pcpFlags = pcp.lock.lockIrqSave(cpu);
                } else {
                    pcp.lock.lock(cpu);
                }
                pcp.section.enter(cpu);
                count = pcp.count;
                if (count > 0) {
                    toDrain = Math.min(count, pcp.batch << PageAllocator.PCP_BATCH_SCALE_MAX);
                    phase = Phase.LOCK_ZONE;
                } else {
                    phase = Phase.UNLOCK_PCP;
                }
                return false;
            case LOCK_ZONE:
                bulk = Math.min(toDrain, pcp.count);
                zoneFlags = FreePcppagesBulk.lockZone(pa, cpu);
                phase = Phase.FREE;
                return false;
            case FREE:
                FreePcppagesBulk.free(pa, cpu, pcp, bulk, zoneFlags);
                count -= toDrain;
                phase = Phase.UNLOCK_PCP;
                return false;
            case UNLOCK_PCP:
                pcp.section.exit(cpu);
                if (irqsave) {
                    pcp.lock.unlockIrqRestore(cpu, pcpFlags, Points.DRAIN_IRQRESTORE);
                } else {
                    pcp.lock.unlock(cpu);
                }
                phase = count > 0 ? Phase.LOCK_PCP : Phase.DONE;
                return phase == Phase.DONE;
            default:
                return true;
        }
    }
}
