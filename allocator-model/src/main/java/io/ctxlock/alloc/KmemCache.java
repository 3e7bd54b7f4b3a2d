package io.ctxlock.alloc;

import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;

/**
 * A SLUB cache ({@code struct kmem_cache}): one object size, each CPU's current slab under a
 * {@code local_trylock_t} ({@code s->cpu_slab->lock}), and one node's partial list under
 * {@code n->list_lock} ({@code struct kmem_cache_node}). Not modeled, on any configuration: the
 * per-CPU partial lists (CONFIG_SLUB_CPU_PARTIAL, which UP never has; on the SMP configurations
 * the model behaves as a kernel built without it, so {@code __slab_free()} of a full slab takes
 * {@code n->list_lock} where an SMP kernel would use {@code put_cpu_partial()}), and the sheaves and
 * barns of newer kernels.
 */
final class KmemCache {
    static final int PAGE_SIZE = 4096;
    static final String LIST_LOCK_CLASS = "n->list_lock";
    /** {@code MIN_PARTIAL} and {@code MAX_PARTIAL} of mm/slub.c. */
    static final int MIN_PARTIAL = 5;
    static final int MAX_PARTIAL = 10;

    final String name;
    final int size;
    final int order;
    final int objectsPerSlab;
    /** {@code s->min_partial}: ilog2(size) / 2, clamped to MIN_PARTIAL..MAX_PARTIAL. */
    final int minPartial;
    final LocalTryLock.PerCpu cpuSlabLock;
    final Slab[] cpuSlab; //     element i guarded by cpuSlabLock of CPU i
    final SpinLock listLock;
    final Exclusive section; //  the partial list's critical section
    final int partialHead; //    n->partial, a PfnList head; guarded by listLock
    int nrPartial; //            n->nr_partial; guarded by listLock

    KmemCache(Machine machine, KernelModel model, int size) {
        this.name = "kmalloc-" + (size >= 1024 ? size / 1024 + "k" : String.valueOf(size));
        this.size = size;
        // at least four objects per slab, as calculate_order() prefers
        this.order = Math.max(0, 32 - Integer.numberOfLeadingZeros(Math.max(1, size * 4 / PAGE_SIZE) - 1));
        this.objectsPerSlab = (PAGE_SIZE << order) / size;
        this.minPartial = Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, (31 - Integer.numberOfLeadingZeros(size)) / 2));
        this.cpuSlabLock = machine.newLocalTryLock(name + "->cpu_slab->lock");
        this.cpuSlab = new Slab[machine.cpuCount()];
        this.listLock = machine.newSpinLock(name + " n->list_lock", LockClass.anyContext(LIST_LOCK_CLASS));
        this.section = new Exclusive(model, name + " node partial list");
        this.partialHead = model.lists().newHead();
    }
}
