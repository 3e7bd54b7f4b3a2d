package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import java.util.Arrays;

/**
 * The model's {@code struct list_head} ({@code include/linux/list.h}) for everything the allocator
 * keeps on lists: the zone's buddy free lists, every CPU's pcp lists and each cache's node partial
 * list. As in {@code struct page}, one pair of links per frame serves all of them (a page is on at
 * most one list: {@code buddy_list}, {@code pcp_list} and {@code slab_list} share the {@code lru}
 * union). Nodes {@code 0..frames-1} are pfns (a slab is linked by its first pfn); the list heads
 * follow them.
 *
 * <p>Every operation is the kernel's, word for word, so that a nested context that enters a list
 * the interrupted code is changing leaves the links exactly as broken as the kernel's:
 * {@code __list_add()} writes {@code next->prev}, {@code new->next}, {@code new->prev},
 * {@code prev->next}; {@code __list_del()} writes {@code next->prev} then {@code prev->next}; a
 * deleted entry is poisoned ({@code LIST_POISON1}/{@code LIST_POISON2}). Between the first write and
 * the rest of each operation is an interrupt point ({@link Points#LIST_ADD}, {@link Points#LIST_DEL}):
 * the instant where an NMI finds a half-linked list. The checks of {@code lib/list_debug.c}
 * ({@code __list_add_valid_or_report()}, {@code __list_del_entry_valid_or_report()}) run before each
 * operation with CONFIG_DEBUG_LIST=y and CONFIG_BUG_ON_DATA_CORRUPTION=n: a failed check is reported
 * (a WARN with the kernel's text, through {@link KernelModel#listCorruption}) and the operation is
 * skipped, and the run goes on, as the kernel's does.
 *
 * <p>Guarded by the lock of each list (zone->lock, pcp->lock, n->list_lock); bound CPU thread. Plain
 * int arrays sized at boot: list work allocates nothing.
 */
final class PfnList {
    /** {@code LIST_POISON1}: the next link of a deleted entry. */
    static final int POISON1 = -0x100;
    /** {@code LIST_POISON2}: the prev link of a deleted entry. */
    static final int POISON2 = -0x122;

    private final KernelModel model;
    private final int frames;
    private final int[] next;
    private final int[] prev;
    private int heads; // heads handed out so far

    PfnList(KernelModel model, int frames, int maxHeads) {
        this.model = model;
        this.frames = frames;
        this.next = new int[frames + maxHeads];
        this.prev = new int[frames + maxHeads];
        Arrays.fill(next, 0, frames, POISON1);
        Arrays.fill(prev, 0, frames, POISON2);
    }

    /** {@code INIT_LIST_HEAD()}: a new, empty list; returns its head. */
    int newHead() {
        int h = frames + heads++;
        next[h] = h;
        prev[h] = h;
        return h;
    }

    boolean isEmpty(int head) {
        return next[head] == head;
    }

    /** {@code list_first_entry_or_null()}: the first entry, or -1 if the list is empty. */
    int first(int head) {
        int n = next[head];
        return n == head || !isEntry(n) ? -1 : n;
    }

    /** {@code list_last_entry()} of a non-empty list, or -1. */
    int last(int head) {
        int p = prev[head];
        return p == head || !isEntry(p) ? -1 : p;
    }

    /** Boot-time {@code list_add_tail()}: before any CPU runs, so no check and no interrupt point. */
    void bootAddTail(int head, int e) {
        int p = prev[head];
        prev[head] = e;
        next[e] = head;
        prev[e] = p;
        next[p] = e;
    }

    /** {@code list_add()}: {@code e} right after {@code head}. False if list_debug refused it. */
    boolean add(Cpu cpu, int head, int e) {
        return link(cpu, e, head, next[head]);
    }

    /** {@code list_add_tail()}: {@code e} right before {@code head}. False if list_debug refused it. */
    boolean addTail(Cpu cpu, int head, int e) {
        return link(cpu, e, prev[head], head);
    }

    private boolean link(Cpu cpu, int e, int p, int n) {
        String bad = null;
        if (!isNode(n) || prev[n] != p) {
            bad = "list_add corruption. next->prev should be prev (" + name(p) + "), but was " + link(n, prev)
                    + ". (next=" + name(n) + ").";
        } else if (!isNode(p) || next[p] != n) {
            bad = "list_add corruption. prev->next should be next (" + name(n) + "), but was " + link(p, next)
                    + ". (prev=" + name(p) + ").";
        } else if (e == p || e == n) {
            bad = "list_add double add: new=" + name(e) + ", prev=" + name(p) + ", next=" + name(n) + ".";
        }
        if (bad != null) {
            model.listCorruption(cpu, "list_add corruption", "__list_add_valid_or_report", bad);
            return false;
        }
        prev[n] = e;
        cpu.interruptPoint(Points.LIST_ADD);
        next[e] = n;
        prev[e] = p;
        next[p] = e;
        return true;
    }

    /** {@code list_del()}: unlinks and poisons {@code e}. False if list_debug refused it. */
    boolean del(Cpu cpu, int e) {
        int p = prev[e];
        int n = next[e];
        String bad = null;
        if (n == POISON1) {
            bad = "list_del corruption, " + name(e) + "->next is LIST_POISON1 (dead000000000100)";
        } else if (p == POISON2) {
            bad = "list_del corruption, " + name(e) + "->prev is LIST_POISON2 (dead000000000122)";
        } else if (!isNode(p) || next[p] != e) {
            bad = "list_del corruption. prev->next should be " + name(e) + ", but was " + link(p, next)
                    + ". (prev=" + name(p) + ")";
        } else if (!isNode(n) || prev[n] != e) {
            bad = "list_del corruption. next->prev should be " + name(e) + ", but was " + link(n, prev)
                    + ". (next=" + name(n) + ")";
        }
        if (bad != null) {
            model.listCorruption(cpu, "list_del corruption", "__list_del_entry_valid_or_report", bad);
            return false;
        }
        prev[n] = p;
        cpu.interruptPoint(Points.LIST_DEL);
        next[p] = n;
        next[e] = POISON1;
        prev[e] = POISON2;
        return true;
    }

    /**
     * Walks a list as the whole-model check does: its length, or -1 if a link is not mutual, an
     * entry fails {@code member}, or the walk does not come back to the head.
     */
    int length(int head, java.util.function.IntPredicate member) {
        int len = 0;
        for (int e = head; ; ) {
            int n = next[e];
            if (!isNode(n) || prev[n] != e || len > frames) {
                return -1;
            }
            if (n == head) {
                return len;
            }
            if (!isEntry(n) || !member.test(n)) { // another list's head, or a frame that does not belong
                return -1;
            }
            len++;
            e = n;
        }
    }

    private boolean isEntry(int x) {
        return x >= 0 && x < frames;
    }

    private boolean isNode(int x) {
        return x >= 0 && x < next.length;
    }

    private String link(int node, int[] links) {
        return isNode(node) ? name(links[node]) : "?";
    }

    /** A node as the kernel's {@code %px} would show it: an entry by pfn, a head by number. */
    private String name(int x) {
        if (x == POISON1) {
            return "dead000000000100";
        }
        if (x == POISON2) {
            return "dead000000000122";
        }
        return x >= frames ? "head#" + (x - frames) : "pfn " + x;
    }
}
