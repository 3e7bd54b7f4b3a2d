package io.ctxlock.alloc;

import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import java.util.ArrayDeque;

/**
 * A SLUB cache ({@code struct kmem_cache}): one object size, each CPU's current slab under a
 * {@code local_trylock_t} ({@code s->cpu_slab->lock}), and one node's partial list under
 * {@code n->list_lock}. The per-CPU partial lists, sheaves and barns of newer kernels are not
 * modeled; nor are slab discards (an empty slab stays on the partial list, as up to
 * {@code min_partial} do).
 */
final class KmemCache {
    static final int PAGE_SIZE = 4096;
    static final String LIST_LOCK_CLASS = "n->list_lock";

    final String name;
    final int size;
    final int order;
    final int objectsPerSlab;
    final LocalTryLock.PerCpu cpuSlabLock;
    final Slab[] cpuSlab; //                   element i guarded by cpuSlabLock of CPU i
    final SpinLock listLock;
    final ArrayDeque<Slab> partial = new ArrayDeque<>(); // guarded by listLock
    int nrPartial; //                                        guarded by listLock
    KmemCache next; //                          the next kmalloc bucket, for kmalloc_nolock's one retry

    KmemCache(Machine machine, int size) {
        this.name = "kmalloc-" + (size >= 1024 ? size / 1024 + "k" : String.valueOf(size));
        this.size = size;
        // at least four objects per slab, as calculate_order() prefers
        this.order = Math.max(0, 32 - Integer.numberOfLeadingZeros(Math.max(1, size * 4 / PAGE_SIZE) - 1));
        this.objectsPerSlab = (PAGE_SIZE << order) / size;
        this.cpuSlabLock = machine.newLocalTryLock(name + "->cpu_slab->lock");
        this.cpuSlab = new Slab[machine.cpuCount()];
        this.listLock = machine.newSpinLock(name + " n->list_lock", LockClass.anyContext(LIST_LOCK_CLASS));
    }
}
