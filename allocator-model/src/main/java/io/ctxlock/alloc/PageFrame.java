package io.ctxlock.alloc;

/**
 * One page frame, the model's {@code struct page}: where it is, the order of the block it heads,
 * and the slab it backs. Created once per frame at boot, so moving pages around allocates nothing.
 * Fields are guarded by the lock of the structure the page is in.
 */
final class PageFrame {
    final int pfn;
    PageState state = PageState.BUDDY; // plain; guarded by the lock of the structure it is in
    int order; //                         plain; order of the block this frame heads, -1 on a tail page
    Slab slab; //                         plain; the slab this frame backs, when SLAB

    PageFrame(int pfn) {
        this.pfn = pfn;
    }
}
