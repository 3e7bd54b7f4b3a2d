package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.SpinLock;

/**
 * One {@code __slab_free()} ({@code mm/slub.c}, v6.18) as a resumable operation, so that a stepped
 * machine can let another CPU run between reading the slab's counters (and, when the free moves
 * the slab between lists, taking {@code n->list_lock}) and the compare-and-exchange
 * {@code slab_update_freelist()} with the list work after it. A failed exchange (the slab changed
 * meanwhile: another CPU froze it, say) unlocks and reads again, as the kernel's
 * {@code do { } while (!slab_update_freelist(...))}; the retry's read is part of the same call.
 * Run on one CPU, by its thread.
 */
final class SlabFree {
    private final SlabNode node;
    private final Slab slab;
    private final int idx;
    private int freeBefore;
    private boolean wasFrozen;
    private boolean prior;
    private int inuseAfter;
    private long flags;
    private boolean onNodePartial;

    SlabFree(SlabNode node, Slab slab, int idx) {
        this.node = node;
        this.slab = slab;
        this.idx = idx;
    }

    /** {@code prior = slab->freelist, counters = slab->counters}; {@code n->list_lock} if the slab changes lists. */
    void prepare(Cpu cpu) {
        KmemCache s = slab.cache;
        synchronized (slab) {
            freeBefore = slab.freeCount;
            wasFrozen = slab.frozen;
        }
        prior = freeBefore > 0;
        inuseAfter = slab.objects - freeBefore - 1;
        flags = SpinLock.TRYLOCK_FAILED;
        onNodePartial = false;
        if ((inuseAfter == 0 || !prior) && !wasFrozen) { // needs to be taken off a list or put on one
            flags = s.listLock.lockIrqSave(cpu);
            s.section.enter(cpu);
            cpu.interruptPoint(Points.SLAB_FREE_LIST_LOCK);
            onNodePartial = slab.onPartial;
        }
    }

    /** {@code slab_update_freelist()} and the list work; false if the exchange failed and {@link #prepare} ran again. */
    boolean commit(Cpu cpu) {
        KmemCache s = slab.cache;
        boolean freed;
        synchronized (slab) { // slab_update_freelist(): fails if the slab changed since it was read
            freed = slab.frozen == wasFrozen && slab.freeCount == freeBefore;
            if (freed) {
                SlabNode.freeObject(slab, idx);
            }
        }
        boolean locked = flags != SpinLock.TRYLOCK_FAILED;
        if (!freed) {
            if (locked) {
                node.unlock(cpu, s, flags);
            }
            prepare(cpu);
            return false;
        }
        if (!locked) {
            return true; // frozen: the slab's owner sees the object; or it stays where it was
        }
        if (prior && !onNodePartial) {
            node.unlock(cpu, s, flags);
            return true;
        }
        if (inuseAfter == 0 && s.nrPartial >= s.minPartial) { // slab_empty
            if (prior) {
                node.removePartial(cpu, s, slab);
            }
            node.unlock(cpu, s, flags);
            node.discardSlab(cpu, slab);
            return true;
        }
        if (!prior) {
            node.addPartial(cpu, s, slab);
        }
        node.unlock(cpu, s, flags);
        return true;
    }
}
