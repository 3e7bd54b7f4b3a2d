package io.ctxlock.alloc;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;

/**
 * One CPU's {@code struct per_cpu_pages}: a list per order up to {@code PAGE_ALLOC_COSTLY_ORDER},
 * {@code count} in pages, {@code high} and {@code batch}, and {@code pcp->lock}, which the fast
 * paths take with a trylock and interrupts enabled. Guarded by {@link #lock}; the lists are int
 * stacks of pfns sized once.
 */
final class PerCpuPages {
    static final int COSTLY_ORDER = 3;
    static final String LOCK_CLASS = "pcp->lock";

    final SpinLock lock;
    final Exclusive section;
    final int high;
    final int batch;
    int count; // plain; guarded by lock; pages on all lists
    private final int[][] lists = new int[COSTLY_ORDER + 1][];
    private final int[] len = new int[COSTLY_ORDER + 1];

    PerCpuPages(Machine machine, int cpu, int zonePages, int high, int batch) {
        this.lock = machine.newSpinLock("pcp->lock[CPU" + cpu + "]", LockClass.anyContext(LOCK_CLASS));
        this.section = new Exclusive("pcp lists of CPU#" + cpu, "lib/list_debug.c: pcp lists");
        this.high = high;
        this.batch = batch;
        for (int o = 0; o <= COSTLY_ORDER; o++) {
            lists[o] = new int[zonePages >> o];
        }
    }

    void push(int pfn, int order) {
        lists[order][len[order]++] = pfn;
        count += 1 << order;
    }

    /** Takes the most recently added page of {@code order}, or -1. */
    int pop(int order) {
        if (len[order] == 0) {
            return -1;
        }
        count -= 1 << order;
        return lists[order][--len[order]];
    }

    int length(int order) {
        return len[order];
    }
}
