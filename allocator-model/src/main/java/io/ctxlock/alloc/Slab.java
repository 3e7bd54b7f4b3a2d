package io.ctxlock.alloc;

/**
 * A slab: {@code 1 << order} pages cut into objects of one cache's size, with its freelist (a
 * stack of free object indices), {@code inuse}, and the {@code frozen} flag: a frozen slab is some
 * CPU's current slab and on no list; a slab on the node's partial list is not frozen.
 *
 * <p>The freelist and object states are changed inside {@code synchronized (slab)}: the model's
 * stand-in for SLUB's {@code cmpxchg_double} on {@code slab->freelist} (or {@code slab_lock()}
 * where that is missing), which lets a remote CPU free into a slab another CPU has frozen. No
 * interrupt point is ever inside it, so no context nests into it. {@code onPartial} is
 * {@code slab_test_node_partial()}, guarded by the node's {@code list_lock}; the slab is linked on
 * the partial list by its first pfn ({@link PfnList}).
 */
final class Slab {
    static final byte FREE = 0;
    static final byte ALLOCATED = 1;
    static final byte DEFERRED = 2;

    final KmemCache cache;
    final int pfn;
    final int objects;
    final byte[] state; //        in synchronized(this)
    private final int[] free; //  in synchronized(this): free object indices
    int freeCount; //             in synchronized(this)
    boolean frozen; //            in synchronized(this)
    boolean onPartial; //         guarded by cache.listLock

    Slab(KmemCache cache, int pfn) {
        this.cache = cache;
        this.pfn = pfn;
        this.objects = cache.objectsPerSlab;
        this.state = new byte[objects];
        this.free = new int[objects];
        for (int i = 0; i < objects; i++) {
            free[i] = objects - 1 - i; // hand out index 0 first
        }
        this.freeCount = objects;
    }

    int address(int index) {
        return pfn * KmemCache.PAGE_SIZE + index * cache.size;
    }

    /** Pops a free index, or -1; a popped index that is not FREE is a corrupted freelist. */
    int pop() {
        if (freeCount == 0) {
            return -1;
        }
        return free[--freeCount];
    }

    void push(int index) {
        free[freeCount++] = index;
    }

    int inuse() {
        return objects - freeCount;
    }
}
