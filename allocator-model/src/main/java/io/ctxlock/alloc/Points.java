package io.ctxlock.alloc;

import java.util.List;

/**
 * Every interrupt point the allocator model passes, in one place (tests walk every scenario
 * with every injection, the cross-CPU ones over schedules too, and fail on a label not listed here). Each is a place where the kernel can
 * be interrupted: an irq restore, a window between finding an entry and taking it, the middle of a
 * list operation. Labels are stable; an exploration names a run by one of them.
 */
public final class Points {
    /** {@code free_pcppages_bulk()} after reading {@code pcp->count}, before zone->lock (pcp lock held, interrupts on). */
    public static final String FREE_PCPPAGES_BULK_COUNT = "free_pcppages_bulk:count";
    /** Each page of {@code free_pcppages_bulk()}, between {@code list_last_entry()} and its {@code list_del()} (zone->lock held). */
    public static final String FREE_PCPPAGES_BULK_LOOP = "free_pcppages_bulk:loop";
    /** The zone->lock irqrestore at the end of each batch of {@code free_pcppages_bulk()}. */
    public static final String FREE_PCPPAGES_BULK_IRQRESTORE = "free_pcppages_bulk:irqrestore";
    /** Each block of {@code rmqueue_bulk()} (the pcp refill; zone->lock held), between finding it and taking it off its list. */
    public static final String RMQUEUE_BULK_LOOP = "rmqueue_bulk:loop";
    /** The zone->lock irqrestore at the end of {@code rmqueue_bulk()}. */
    public static final String RMQUEUE_BULK_IRQRESTORE = "rmqueue_bulk:irqrestore";
    /** Inside the pcp section of an allocation, between {@code list_first_entry()} and its {@code list_del()}. */
    public static final String RMQUEUE_PCPLIST = "__rmqueue_pcplist:take";
    /** Inside the pcp section of a free, before the page is added. */
    public static final String FREE_PCP_LIST_ADD = "free_frozen_page_commit:list_add";
    /** The irqrestore of the UP pcp workaround after a pcp section. */
    public static final String PCP_UNLOCK_IRQRESTORE = "pcp_spin_unlock:irqrestore";
    /** The irqrestore of a drain that took the pcp lock with irqsave (038a102535eb). */
    public static final String DRAIN_IRQRESTORE = "drain_pages_zone:irqrestore";
    /** Inside {@code rmqueue_buddy()} (zone->lock held), between finding the buddy block and taking it off its list. */
    public static final String RMQUEUE_BUDDY = "rmqueue_buddy:take";
    /** The zone->lock irqrestore of {@code rmqueue_buddy()}. */
    public static final String RMQUEUE_BUDDY_IRQRESTORE = "rmqueue_buddy:irqrestore";
    /** Each merge step of {@code __free_one_page()} (zone->lock held). */
    public static final String FREE_ONE_PAGE_MERGE = "__free_one_page:merge";
    /** The zone->lock irqrestore of {@code free_one_page()}. */
    public static final String FREE_ONE_PAGE_IRQRESTORE = "free_one_page:irqrestore";
    /**
     * Inside {@code local_lock_irqsave(&s->cpu_slab->lock)} around kmalloc's CPU-slab allocation (the
     * kernel's slow path holds it; its fast path is lockless: see {@link Slub}).
     */
    public static final String SLAB_ALLOC_CPU_SLAB = "slab_alloc:cpu_slab";
    /** The cpu_slab irqrestore of the allocation paths. */
    public static final String SLAB_ALLOC_IRQRESTORE = "slab_alloc:irqrestore";
    /** In {@code get_partial_node()} between finding a partial slab and {@code remove_partial()}. */
    public static final String GET_PARTIAL_NODE_LOOP = "get_partial_node:loop";
    /** The n->list_lock irqrestore of {@code get_partial_node()}. */
    public static final String GET_PARTIAL_NODE_IRQRESTORE = "get_partial_node:irqrestore";
    /** Inside n->list_lock in {@code __slab_free()}, before its compare-and-exchange of the freelist. */
    public static final String SLAB_FREE_LIST_LOCK = "__slab_free:list_lock";
    /** The n->list_lock irqrestore of {@code __slab_free()} and {@code deactivate_slab()}. */
    public static final String SLAB_FREE_IRQRESTORE = "__slab_free:irqrestore";
    /** The cpu_slab irqrestore of the free fast path. */
    public static final String SLAB_FREE_CPU_SLAB_IRQRESTORE = "do_slab_free:irqrestore";

    /** Inside {@code __list_add()}, after {@code next->prev = new} (any list; see {@link PfnList}). */
    public static final String LIST_ADD = "__list_add";
    /** Inside {@code __list_del()}, after {@code next->prev = prev} (any list). */
    public static final String LIST_DEL = "__list_del";
    /** Where a failed {@code spin_trylock_irqsave()} of zone->lock or n->list_lock restores the flag (lock layer). */
    public static final String SPIN_TRYLOCK_IRQSAVE_FAIL = io.ctxlock.api.SpinLock.TRY_IRQSAVE_FAIL;
    /** S8's task, which holds no lock there. */
    public static final String TASK_NO_LOCK_HELD = "task:no_lock_held";


    // ---- the ends of steps of the stepped programs (the switch points of a stepped machine) ----

    /** {@link Slub#kfreeSteps}: {@code __slab_free()} has read the counters (and holds n->list_lock if it needs it). */
    public static final String STEP_SLAB_FREE_READ = "kfree:__slab_free";
    /** {@link Slub#kfreeSteps}: {@code slab_update_freelist()} and the list work done. */
    public static final String STEP_SLAB_UPDATE_FREELIST = "__slab_free:slab_update_freelist";
    /** {@link PageAllocator#drainPagesZoneSteps}: the drained CPU's {@code pcp->lock} held. */
    public static final String STEP_DRAIN_PCP_LOCKED = "drain_pages_zone:spin_lock";
    /** {@link PageAllocator#drainPagesZoneSteps}: {@code zone->lock} held in {@code free_pcppages_bulk()}. */
    public static final String STEP_BULK_ZONE_LOCKED = "free_pcppages_bulk:spin_lock_irqsave";
    /** {@link PageAllocator#drainPagesZoneSteps}: the pages back, {@code zone->lock} released. */
    public static final String STEP_BULK_ZONE_UNLOCKED = "free_pcppages_bulk:spin_unlock_irqrestore";
    /** {@link PageAllocator#drainPagesZoneSteps}: {@code pcp->lock} released, the drain done. */
    public static final String STEP_DRAIN_PCP_UNLOCKED = "drain_pages_zone:spin_unlock";
    /** X1's CPU0: its task's {@code kmalloc()}. */
    public static final String STEP_KMALLOC = "kmalloc";
    /** X1's CPU0: its task's {@code kfree()}. */
    public static final String STEP_KFREE = "kfree";
    /** X2's CPU1: a task step that holds no lock, interrupts on. */
    public static final String STEP_TASK = "task";
    /** X3: the end of a task's {@code spin_lock(L)}, interrupts on. */
    public static final String STEP_LOCK_L = "spin_lock(L)";
    /** X3: the end of a task's {@code spin_unlock(L)}. */
    public static final String STEP_UNLOCK_L = "spin_unlock(L)";
    /** The lock layer's: a spin iteration of an SMP {@code lock()} (io.ctxlock.smp). */
    public static final String SPIN = "spin_lock:spin";
    /** The stepper's: a CPU whose program is done takes its interrupts in the idle loop (io.ctxlock.api.Stepper). */
    public static final String IDLE = "cpu_idle";

    /** All labels above. */
    public static final List<String> ALL = List.of(FREE_PCPPAGES_BULK_COUNT, FREE_PCPPAGES_BULK_LOOP, FREE_PCPPAGES_BULK_IRQRESTORE,
            RMQUEUE_BULK_LOOP, RMQUEUE_BULK_IRQRESTORE, RMQUEUE_PCPLIST, FREE_PCP_LIST_ADD, PCP_UNLOCK_IRQRESTORE,
            DRAIN_IRQRESTORE, RMQUEUE_BUDDY, RMQUEUE_BUDDY_IRQRESTORE, FREE_ONE_PAGE_MERGE, FREE_ONE_PAGE_IRQRESTORE,
            SLAB_ALLOC_CPU_SLAB, SLAB_ALLOC_IRQRESTORE, GET_PARTIAL_NODE_LOOP, GET_PARTIAL_NODE_IRQRESTORE,
            SLAB_FREE_LIST_LOCK, SLAB_FREE_IRQRESTORE, SLAB_FREE_CPU_SLAB_IRQRESTORE, LIST_ADD, LIST_DEL,
            SPIN_TRYLOCK_IRQSAVE_FAIL, TASK_NO_LOCK_HELD, STEP_SLAB_FREE_READ, STEP_SLAB_UPDATE_FREELIST,
            STEP_DRAIN_PCP_LOCKED, STEP_BULK_ZONE_LOCKED, STEP_BULK_ZONE_UNLOCKED, STEP_DRAIN_PCP_UNLOCKED, STEP_KMALLOC,
            STEP_KFREE, STEP_TASK, STEP_LOCK_L, STEP_UNLOCK_L, SPIN, IDLE);

    private Points() {}
}
