package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;

/**
 * One CPU's {@code struct per_cpu_pages}: a list per order up to {@code PAGE_ALLOC_COSTLY_ORDER}
 * ({@code pcp->lists[]}, one migrate type), {@code count} in pages, {@code high} and {@code batch},
 * and {@code pcp->lock}, which the fast paths take with a trylock and interrupts enabled. The lists
 * are {@link PfnList}s with the kernel's list operations; {@code count} is changed by single
 * read-modify-write steps, as the kernel's {@code pcp->count +=}. Guarded by {@link #lock}.
 */
final class PerCpuPages {
    static final int COSTLY_ORDER = 3;
    static final String LOCK_CLASS = "pcp->lock";

    final SpinLock lock;
    final Exclusive section;
    final int high;
    final int batch;
    int count; // plain; guarded by lock; pages on all lists
    private final PfnList list;
    private final int[] heads = new int[COSTLY_ORDER + 1];

    PerCpuPages(Machine machine, KernelModel model, PfnList list, int cpu, int high, int batch) {
        this.lock = machine.newSpinLock("pcp->lock[CPU" + cpu + "]", LockClass.anyContext(LOCK_CLASS));
        this.section = new Exclusive(model, "pcp lists of CPU#" + cpu);
        this.list = list;
        this.high = high;
        this.batch = batch;
        for (int o = 0; o <= COSTLY_ORDER; o++) {
            heads[o] = list.newHead();
        }
    }

    /** {@code list_first_entry()} of the list of {@code order}, or -1 if it is empty. */
    int first(int order) {
        return list.first(heads[order]);
    }

    /** {@code list_last_entry()} of the list of {@code order}, or -1 if it is empty. */
    int last(int order) {
        return list.last(heads[order]);
    }

    boolean isEmpty(int order) {
        return list.isEmpty(heads[order]);
    }

    /** {@code list_add(&page->pcp_list, list)} (a free). The caller adds to {@code count}. */
    void add(Cpu cpu, int pfn, int order) {
        list.add(cpu, heads[order], pfn);
    }

    /** {@code list_add_tail(&page->pcp_list, list)} (a refill from the zone). */
    void addTail(Cpu cpu, int pfn, int order) {
        list.addTail(cpu, heads[order], pfn);
    }

    /** {@code list_del(&page->pcp_list)}. The caller subtracts from {@code count}. */
    void del(Cpu cpu, int pfn) {
        list.del(cpu, pfn);
    }

    /** The length of the list of {@code order}, or -1 if it is broken or holds a frame not in {@code PCP} state. */
    int length(int order, PageFrame[] frames) {
        return list.length(heads[order], pfn -> frames[pfn].state == PageState.PCP && frames[pfn].order == order);
    }
}
