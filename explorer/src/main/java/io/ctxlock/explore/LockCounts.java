package io.ctxlock.explore;

/**
 * How many spinlocks of each kind a UP kernel has, for the memory column of the proposals. The
 * defaults describe a small single-CPU system; put in your own (from /proc/zoneinfo,
 * /proc/slabinfo and a lock count of your kernel).
 *
 * @param zones memory zones (one {@code zone->lock} each; default 2: DMA32 and Normal)
 * @param cpus CPUs (one pcp lock per zone and CPU; 1 on UP)
 * @param slabCaches slab caches (one {@code n->list_lock} per cache and node; default 120, a small
 *     system's /proc/slabinfo)
 * @param nodes NUMA nodes (default 1)
 * @param barns per-node barns of the sheaves design (v7.0+; default 0, the v6.18 design the model
 *     follows)
 * @param otherLocks every other spinlock (inodes, dentries, devices, ...; default 20000, an order
 *     of magnitude for a small system, not a measurement)
 */
public record LockCounts(int zones, int cpus, int slabCaches, int nodes, int barns, int otherLocks) {
    public static final LockCounts DEFAULTS = new LockCounts(2, 1, 120, 1, 0, 20_000);

    public LockCounts {
        if (zones < 0 || cpus < 1 || slabCaches < 0 || nodes < 1 || barns < 0 || otherLocks < 0) {
            throw new IllegalArgumentException("lock counts must not be negative (cpus and nodes at least 1): zones="
                    + zones + " cpus=" + cpus + " slab-caches=" + slabCaches + " nodes=" + nodes + " barns=" + barns
                    + " other-locks=" + otherLocks);
        }
    }

    public long pcpLocks() {
        return (long) zones * cpus;
    }

    public long listLocks() {
        return (long) slabCaches * nodes;
    }

    @Override
    public String toString() {
        return zones + " zones x " + cpus + " CPU = " + pcpLocks() + " pcp locks, " + zones + " zone locks, " + slabCaches
                + " slab caches x " + nodes + " node = " + listLocks() + " list_locks, " + barns + " barns, " + otherLocks
                + " other spinlocks";
    }

    String json() {
        return "{\"zones\":" + zones + ",\"cpus\":" + cpus + ",\"slabCaches\":" + slabCaches + ",\"nodes\":" + nodes
                + ",\"barns\":" + barns + ",\"otherLocks\":" + otherLocks + "}";
    }
}
