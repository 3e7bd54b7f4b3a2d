package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * The buddy allocator of one zone ({@code mm/page_alloc.c}): free lists by order, split on
 * allocation ({@code __rmqueue_smallest()}, {@code page_del_and_expand()}), merge on free
 * ({@code __free_one_page()}), all under {@code zone->lock}, which callers take irqsave. Also the
 * zone's deferred list ({@code zone->trylock_free_pages}): pages freed by {@code free_pages_nolock()}
 * when the lock could not be had, drained by the next locked free. Migrate types, watermarks and
 * pageblocks are not modeled: one free list per order.
 *
 * <p>The free lists are {@link PfnList}s with the kernel's list operations and list_debug checks;
 * {@code freeOrder} is {@code PageBuddy} plus {@code buddy_order()} of a block's first frame. All
 * methods but the constructor run with {@link #lock} held and {@link #section} entered.
 */
final class Zone {
    static final String LOCK_CLASS = "zone->lock";

    final int pages;
    final int maxOrder;
    final PageFrame[] frames;
    final SpinLock lock;
    final Exclusive section;
    final MpscVarHandleArrayQueue<PageFrame> deferred;
    final AtomicInteger deferredFrames = new AtomicInteger();
    private final PfnList list;
    private final int[] head;
    private final int[] nrFree;
    private final int[] freeOrder; // PageBuddy: order of the free block a frame heads, or -1

    Zone(Machine machine, KernelModel model, PfnList list, int pages) {
        if (Integer.bitCount(pages) != 1 || pages < 16) {
            throw new IllegalArgumentException("zone size must be a power of two >= 16 pages: " + pages);
        }
        this.pages = pages;
        this.maxOrder = Math.min(10, Integer.numberOfTrailingZeros(pages));
        this.frames = new PageFrame[pages];
        this.list = list;
        this.freeOrder = new int[pages];
        this.head = new int[maxOrder + 1];
        this.nrFree = new int[maxOrder + 1];
        Arrays.fill(freeOrder, -1);
        for (int o = 0; o <= maxOrder; o++) {
            head[o] = list.newHead();
        }
        for (int pfn = 0; pfn < pages; pfn++) {
            frames[pfn] = new PageFrame(pfn);
        }
        this.lock = machine.newSpinLock(LOCK_CLASS, LockClass.anyContext(LOCK_CLASS));
        this.section = new Exclusive(model, "zone free_area lists");
        this.deferred = new MpscVarHandleArrayQueue<>(pages);
        for (int pfn = 0; pfn < pages; pfn += 1 << maxOrder) {
            freeOrder[pfn] = maxOrder;
            frames[pfn].order = maxOrder;
            list.bootAddTail(head[maxOrder], pfn);
            nrFree[maxOrder]++;
        }
    }

    /**
     * {@code __rmqueue_smallest()}: finds the first block of the smallest order that fits
     * ({@code get_page_from_free_area()}), passes {@code window} (the interrupt point between finding
     * the block and taking it off its list), then {@code page_del_and_expand()}: takes it off and
     * gives the upper halves back. Returns the pfn, or -1 if no block fits.
     */
    int rmqueueSmallest(Cpu cpu, int order, String window) {
        for (int o = order; o <= maxOrder; o++) {
            int pfn = list.first(head[o]);
            if (pfn < 0) {
                continue;
            }
            cpu.interruptPoint(window);
            del(cpu, pfn, o);
            while (o > order) { // expand(): give back the upper halves
                o--;
                add(cpu, pfn + (1 << o), o);
            }
            frames[pfn].order = order;
            return pfn;
        }
        return -1;
    }

    /** {@code __free_one_page()}: returns a block of BUDDY frames to the lists, merging buddies. */
    void freeBlock(Cpu cpu, int pfn, int order) {
        while (order < maxOrder) {
            int buddy = pfn ^ (1 << order);
            if (freeOrder[buddy] != order) { // page_is_buddy()
                break;
            }
            cpu.interruptPoint(Points.FREE_ONE_PAGE_MERGE);
            del(cpu, buddy, order);
            pfn = Math.min(pfn, buddy);
            order++;
        }
        add(cpu, pfn, order);
    }

    /**
     * {@code __add_to_free_list()} with {@code set_buddy_order()}, whose {@code __SetPageBuddy()}
     * has {@code VM_BUG_ON_PAGE(page->page_type != UINT_MAX)}: a page that is already a free buddy
     * block is a BUG (CONFIG_DEBUG_VM, as the seed's kernel had).
     */
    private void add(Cpu cpu, int pfn, int order) {
        if (freeOrder[pfn] >= 0) {
            throw pageBug(cpu, "__SetPageBuddy", "VM_BUG_ON_PAGE(page_type != UINT_MAX)", pfn,
                    "already a free buddy block of order " + freeOrder[pfn] + ": two contexts returned it");
        }
        freeOrder[pfn] = order;
        frames[pfn].order = order;
        list.add(cpu, head[order], pfn);
        nrFree[order]++;
    }

    /**
     * {@code __del_page_from_free_list()}: {@code list_del()} (list_debug may refuse it with a WARN),
     * then {@code __ClearPageBuddy()}, whose {@code VM_BUG_ON_PAGE(!PageBuddy(page))} stops a context
     * taking a block another context already took (CONFIG_DEBUG_VM), then {@code nr_free--}.
     */
    private void del(Cpu cpu, int pfn, int order) {
        list.del(cpu, pfn);
        if (freeOrder[pfn] < 0) {
            throw pageBug(cpu, "__ClearPageBuddy", "VM_BUG_ON_PAGE(!PageBuddy(page))", pfn,
                    "not a free buddy block any more: another context took it off free_area[" + order + "]");
        }
        freeOrder[pfn] = -1;
        nrFree[order]--;
    }

    private static KernelBug pageBug(Cpu cpu, String function, String check, int pfn, String detail) {
        return KernelBug.report(cpu, "include/linux/page-flags.h: " + function, check, "page pfn " + pfn + " " + detail);
    }

    /** Free blocks of {@code order} ({@code zone->free_area[order].nr_free}). */
    int nrFree(int order) {
        return nrFree[order];
    }

    /** The length of the list of {@code order}, or -1 if it is broken or holds a frame that is not a free block of that order. */
    int listLength(int order) {
        return list.length(head[order], pfn -> freeOrder[pfn] == order);
    }
}
