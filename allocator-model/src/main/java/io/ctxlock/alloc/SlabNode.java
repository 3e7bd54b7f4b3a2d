package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.SpinLock;

/**
 * SLUB's node side ({@code mm/slub.c}, v6.18): everything done under {@code n->list_lock} on a
 * cache's partial list, whose list work runs inside the list's critical section
 * ({@link KmemCache#section}) so that a nested entry is caught as it is for pcp and zone.
 *
 * <ul>
 * <li>{@link #getPartialNode}: {@code get_partial_node()} (trylock from {@code kmalloc_nolock()}),
 *     then {@code freeze_slab()} with its {@code VM_BUG_ON(new.frozen)} (which the
 *     seed's report calls {@code BUG_ON}), after the unlock.
 * <li>{@link #slabFree}: {@code __slab_free()}: the lock only when the free makes the slab empty
 *     or it was full (always so without CONFIG_SLUB_CPU_PARTIAL), the free itself a compare and
 *     exchange that retries without the lock if the slab changed meanwhile (an NMI froze it, say),
 *     then add to the partial list, or, when the slab is empty and {@code nr_partial >=
 *     min_partial}, {@code remove_partial()} and {@code discard_slab()} after the unlock.
 * <li>{@link #deactivate}: {@code deactivate_slab()}: unfreeze; an empty slab with enough partial
 *     slabs is discarded, one with free objects goes on the partial list, a full one on no list.
 * </ul>
 */
final class SlabNode {
    private final KernelModel model;
    private final PageAllocator pages;
    private final PfnList lists;

    SlabNode(KernelModel model, PageAllocator pages) {
        this.model = model;
        this.pages = pages;
        this.lists = model.lists();
    }

    /** {@code get_partial_node()} + {@code freeze_slab()}: a frozen slab off the partial list, or null. */
    Slab getPartialNode(Cpu cpu, KmemCache s, boolean trylock) {
        long flags = trylock ? s.listLock.tryLockIrqSave(cpu) : s.listLock.lockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return null;
        }
        s.section.enter(cpu);
        int pfn = lists.first(s.partialHead);
        Slab slab = pfn < 0 ? null : pages.zone.frames[pfn].slab;
        if (slab != null) {
            cpu.interruptPoint(Points.GET_PARTIAL_NODE_LOOP);
            removePartial(cpu, s, slab);
        }
        s.section.exit(cpu);
        s.listLock.unlockIrqRestore(cpu, flags, Points.GET_PARTIAL_NODE_IRQRESTORE);
        if (slab != null) {
            freezeSlab(cpu, slab);
        }
        return slab;
    }

    /** {@code freeze_slab()}: {@code VM_BUG_ON(new.frozen)}, the seed's oops at mm/slub.c:4382. */
    private static void freezeSlab(Cpu cpu, Slab slab) {
        synchronized (slab) {
            if (slab.frozen) {
                throw KernelBug.report(cpu, "mm/slub.c: freeze_slab", "VM_BUG_ON(new.frozen)",
                        slab.cache.name + " slab at pfn " + slab.pfn
                                + " is already frozen: somebody else took it off the partial list and froze it");
            }
            slab.frozen = true;
        }
    }

    /** {@code __slab_free()} of object {@code idx}; takes {@code n->list_lock} with lock(), never a trylock. */
    void slabFree(Cpu cpu, Slab slab, int idx) {
        SlabFree f = new SlabFree(this, slab, idx);
        f.prepare(cpu);
        while (!f.commit(cpu)) {
            // slab_update_freelist() failed: read again and retry, as the kernel's do { } while
        }
    }

    /** {@code deactivate_slab()} with the lock taken (the nolock paths defer it to irq_work instead). */
    void deactivate(Cpu cpu, Slab slab) {
        boolean hasFree;
        boolean empty;
        synchronized (slab) {
            slab.frozen = false;
            hasFree = slab.freeCount > 0;
            empty = slab.inuse() == 0;
        }
        KmemCache s = slab.cache;
        if (empty && s.nrPartial >= s.minPartial) {
            discardSlab(cpu, slab);
        } else if (hasFree) {
            long flags = s.listLock.lockIrqSave(cpu);
            s.section.enter(cpu);
            addPartial(cpu, s, slab);
            unlock(cpu, s, flags);
        }
    }

    static void freeObject(Slab slab, int idx) {
        synchronized (slab) {
            slab.state[idx] = Slab.FREE;
            slab.push(idx);
        }
    }

    /** {@code add_partial(n, slab, DEACTIVATE_TO_TAIL)}. */
    void addPartial(Cpu cpu, KmemCache s, Slab slab) {
        s.nrPartial++;
        lists.addTail(cpu, s.partialHead, slab.pfn);
        slab.onPartial = true;
    }

    /** {@code remove_partial()}: list_del, then the flag and the count whatever list_debug said. */
    void removePartial(Cpu cpu, KmemCache s, Slab slab) {
        lists.del(cpu, slab.pfn);
        slab.onPartial = false;
        s.nrPartial--;
    }

    void unlock(Cpu cpu, KmemCache s, long flags) {
        s.section.exit(cpu);
        s.listLock.unlockIrqRestore(cpu, flags, Points.SLAB_FREE_IRQRESTORE);
    }

    /** {@code discard_slab()}: the slab's pages back to the page allocator. */
    void discardSlab(Cpu cpu, Slab slab) {
        for (int i = slab.pfn; i < slab.pfn + (1 << slab.cache.order); i++) {
            pages.zone.frames[i].slab = null;
        }
        pages.free(cpu, slab.pfn, slab.cache.order, PageState.SLAB, false);
    }
}
