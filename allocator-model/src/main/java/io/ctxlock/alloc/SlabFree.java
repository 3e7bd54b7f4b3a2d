package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Program;
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

    /** {@link Slub#kfreeSteps}: the free as two steps, each CPU's free in flight its own. */
    static Program steps(Slub slub, java.util.function.IntSupplier addr, int cpus) {
        SlabFree[] frees = new SlabFree[cpus];
        return Program.of(
                Program.step(Points.STEP_SLAB_FREE_READ, c -> frees[c.id()] = begin(slub, c, addr.getAsInt())),
                Program.step(Points.STEP_SLAB_UPDATE_FREELIST, c -> {
                    SlabFree f = frees[c.id()];
                    if (f != null) {
                        while (!f.commit(c)) {
                            // the exchange failed: read again and retry within this step
                        }
                    }
                }));
    }

    /** The first step: {@code kfree()} up to {@code __slab_free()}'s read; the free left to commit, or null. */
    private static SlabFree begin(Slub slub, Cpu c, int a) {
        PageFrame fr = a == -1 || a == Slub.ZERO_SIZE_PTR ? null : slub.frame(a);
        if (a == -1 || a == Slub.ZERO_SIZE_PTR || fr != null && fr.state == PageState.KMALLOC_LARGE) {
            slub.kfree(c, a);
            return null;
        }
        Slab slab = slub.lookup(c, a);
        int idx = (a - slab.pfn * KmemCache.PAGE_SIZE) / slab.cache.size;
        if (slab.cache.cpuSlab[c.id()] == slab && slub.freeToCpuSlab(c, slab, idx)) {
            return null;
        }
        SlabFree f = new SlabFree(slub.node, slab, idx);
        f.prepare(c);
        return f;
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
