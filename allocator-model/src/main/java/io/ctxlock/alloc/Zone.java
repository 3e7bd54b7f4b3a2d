package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * The buddy allocator of one zone ({@code mm/page_alloc.c}): free lists by order, split on
 * allocation ({@code __rmqueue_smallest()}, {@code expand()}), merge on free
 * ({@code __free_one_page()}), all under {@code zone->lock}, which callers take irqsave. Also the
 * zone's deferred list ({@code zone->trylock_free_pages}): pages freed by {@code free_pages_nolock()}
 * when the lock could not be had, drained by the next locked free. Migrate types, watermarks and
 * pageblocks are not modeled.
 *
 * <p>Free lists are intrusive doubly-linked lists over pfn-indexed arrays, so list work allocates
 * nothing. All methods but the constructor run with {@link #lock} held and {@link #section} entered.
 */
final class Zone {
    static final String LOCK_CLASS = "zone->lock";

    final int pages;
    final int maxOrder;
    final PageFrame[] frames;
    final SpinLock lock;
    final Exclusive section = new Exclusive("zone free_area lists", "mm/page_alloc.c: __free_one_page/__rmqueue");
    final MpscVarHandleArrayQueue<PageFrame> deferred;
    final java.util.concurrent.atomic.AtomicInteger deferredFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final int[] next;
    private final int[] prev;
    private final int[] head;
    private final int[] nrFree;
    private final int[] freeOrder; // order of the free block a frame heads, or -1

    Zone(Machine machine, int pages) {
        if (Integer.bitCount(pages) != 1 || pages < 16) {
            throw new IllegalArgumentException("zone size must be a power of two >= 16 pages: " + pages);
        }
        this.pages = pages;
        this.maxOrder = Math.min(10, Integer.numberOfTrailingZeros(pages));
        this.frames = new PageFrame[pages];
        this.next = new int[pages];
        this.prev = new int[pages];
        this.freeOrder = new int[pages];
        this.head = new int[maxOrder + 1];
        this.nrFree = new int[maxOrder + 1];
        java.util.Arrays.fill(head, -1);
        java.util.Arrays.fill(freeOrder, -1);
        for (int pfn = 0; pfn < pages; pfn++) {
            frames[pfn] = new PageFrame(pfn);
        }
        this.lock = machine.newSpinLock(LOCK_CLASS, LockClass.anyContext(LOCK_CLASS));
        this.deferred = new MpscVarHandleArrayQueue<>(pages);
        for (int pfn = 0; pfn < pages; pfn += 1 << maxOrder) {
            add(pfn, maxOrder);
        }
    }

    /** {@code __rmqueue_smallest()}: takes a block of {@code order}, or returns -1. */
    int rmqueueSmallest(Cpu cpu, int order) {
        for (int o = order; o <= maxOrder; o++) {
            int pfn = head[o];
            if (pfn < 0) {
                continue;
            }
            del(cpu, pfn, o);
            while (o > order) { // expand(): give back the upper halves
                o--;
                add(pfn + (1 << o), o);
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
            if (freeOrder[buddy] != order) {
                break;
            }
            cpu.interruptPoint(Points.FREE_ONE_PAGE_MERGE);
            del(cpu, buddy, order);
            pfn = Math.min(pfn, buddy);
            order++;
        }
        add(pfn, order);
    }

    private void add(int pfn, int order) {
        freeOrder[pfn] = order;
        frames[pfn].order = order;
        int h = head[order];
        next[pfn] = h;
        prev[pfn] = -1;
        if (h >= 0) {
            prev[h] = pfn;
        }
        head[order] = pfn;
        nrFree[order]++;
    }

    private void del(Cpu cpu, int pfn, int order) {
        if (freeOrder[pfn] != order) {
            throw KernelBug.report(cpu, "lib/list_debug.c: __list_del_entry_valid", "list_del corruption",
                    "pfn " + pfn + " is not a free block of order " + order + " (zone free_area[" + order + "])");
        }
        int n = next[pfn];
        int p = prev[pfn];
        if (p >= 0) {
            next[p] = n;
        } else {
            head[order] = n;
        }
        if (n >= 0) {
            prev[n] = p;
        }
        freeOrder[pfn] = -1;
        nrFree[order]--;
    }

    /** Free blocks of {@code order} ({@code zone->free_area[order].nr_free}). */
    int nrFree(int order) {
        return nrFree[order];
    }

    /** Walks the list of {@code order}: its length, after checking each entry heads a free block. */
    int listLength(int order) {
        int n = 0;
        for (int pfn = head[order]; pfn >= 0; pfn = next[pfn]) {
            if (freeOrder[pfn] != order || n > pages) {
                return -1;
            }
            n++;
        }
        return n;
    }
}
