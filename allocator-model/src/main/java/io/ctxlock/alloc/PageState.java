package io.ctxlock.alloc;

/** Where a page frame is: every frame is in exactly one of these places at any time. */
public enum PageState {
    /** In a buddy free list of the zone (part of a free block). */
    BUDDY,
    /** On a CPU's pcp list. */
    PCP,
    /** Backing a slab of a SLUB cache. */
    SLAB,
    /** Handed out to a caller of alloc_pages. */
    CALLER,
    /** Handed out by {@code kmalloc()} for a size above the largest bucket ({@code kmalloc_large}). */
    KMALLOC_LARGE,
    /** Freed while the lock could not be had; on the zone's deferred list until the next locked free. */
    DEFERRED
}
