package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Program;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.jctools.queues.varhandle.MpscChunkedVarHandleArrayQueue;

/**
 * SLUB's kmalloc caches ({@code mm/slub.c}, the v6.18 design with a per-CPU slab under a
 * {@code local_trylock_t}) over the {@link PageAllocator}: buckets 8..8192 with kmalloc-96 and
 * kmalloc-192, {@code kmalloc}/{@code kfree}, and {@code kmalloc_nolock}/{@code kfree_nolock},
 * which only trylock and may be called from any context.
 *
 * <ul>
 * <li>{@code kmalloc(0)} returns {@link #ZERO_SIZE_PTR}; a size above 8 KiB
 *     ({@code KMALLOC_MAX_CACHE_SIZE}) goes to the page allocator ({@code kmalloc_large}); a size
 *     beyond the largest buddy order, or negative (a {@code size_t}), returns NULL after the page
 *     allocator's one-time WARN.
 * <li>{@code kmalloc_nolock()}: 0 gives {@code ZERO_SIZE_PTR}, {@code can_spin_trylock()} may refuse
 *     (RT in NMI or hardirq, E in NMI), a size above 8 KiB gives NULL; in NMI with this cache's
 *     local lock held the attempt is {@code -EBUSY} at once, elsewhere a held local lock lets the
 *     lockless fast path take an object from the CPU slab and makes the slow path {@code -EBUSY}; on
 *     {@code -EBUSY} alone it retries once with size {@code object_size + 1} (kmalloc-64 retries in
 *     kmalloc-96), then gives NULL. A CPU slab it must replace is deactivated from irq_work.
 * <li>{@code kfree_nolock()} ({@code do_slab_free()} with {@code !allow_spin}): an object outside
 *     this CPU's current slab, or (in NMI, or on RT) with the local lock held, is deferred to
 *     irq_work ({@link #irqWork}), which frees it with {@code __slab_free()}; it never takes
 *     {@code n->list_lock}.
 * </ul>
 *
 * <p>Simplification: the kernel's fast paths (!RT) are a lockless {@code this_cpu_cmpxchg} on the
 * CPU slab's freelist, and only the slow path takes the local lock. The model takes the local lock
 * around every CPU-slab allocation and kfree fast path ({@link Points#SLAB_ALLOC_CPU_SLAB} is inside
 * it), and stands in for the lockless path where a nested context meets that lock held: outside
 * NMI and RT it allocates or frees on the CPU slab without the lock, as the cmpxchg would. Results
 * are the kernel's for S7 (an NMI inside the locked section gets -EBUSY and retries).
 * Addresses are ints: pfn * 4096 + offset; -1 is NULL.
 */
public final class Slub {
    /** The model's {@code ZERO_SIZE_PTR}: what {@code kmalloc(0)} returns; {@code kfree} ignores it. */
    public static final int ZERO_SIZE_PTR = -16;
    /** {@code KMALLOC_MAX_CACHE_SIZE} with 4 KiB pages. */
    public static final int MAX_SIZE = 8192;
    static final int[] SIZES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
    static final int BUCKETS = SIZES.length;
    private static final int EBUSY = -2;

    final KmemCache[] caches;
    private final KernelModel model;
    private final PageAllocator pages;
    private final KernelConfig config;
    final SlabNode node;
    private final MpscChunkedVarHandleArrayQueue<Object>[] deferred; // per CPU: Integer addresses and Slabs

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic queue type
    Slub(Machine machine, KernelModel model, KernelConfig config, PageAllocator pages) {
        this.model = model;
        this.pages = pages;
        this.config = config;
        this.node = new SlabNode(model, pages);
        this.caches = new KmemCache[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            caches[i] = new KmemCache(machine, model, SIZES[i]);
        }
        this.deferred = new MpscChunkedVarHandleArrayQueue[machine.cpuCount()];
        for (int i = 0; i < deferred.length; i++) {
            deferred[i] = new MpscChunkedVarHandleArrayQueue<>(64, pages.zonePages() * (KmemCache.PAGE_SIZE / SIZES[0]));
        }
    }

    /** {@code kmalloc(size, GFP_ATOMIC)}: an object of at least {@code size} bytes, {@link #ZERO_SIZE_PTR}, or -1. */
    public int kmalloc(Cpu cpu, int size) {
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        if (size < 0 || size > MAX_SIZE) {
            return kmallocLarge(cpu, size);
        }
        KmemCache s = bucket(size);
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        long flags = l.lockIrqSave(cpu);
        cpu.interruptPoint(Points.SLAB_ALLOC_CPU_SLAB);
        int obj = allocFromCpuSlab(s, cpu.id());
        if (obj >= 0) {
            l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
            return obj;
        }
        Slab old = takeCpuSlab(s, cpu.id());
        l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
        deactivate(cpu, old, false);
        return refill(cpu, s, false);
    }

    /** {@code kmalloc_nolock(size)}: any context, trylocks only; an object, {@link #ZERO_SIZE_PTR}, or -1. */
    public int kmallocNolock(Cpu cpu, int size) {
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        if (!config.canSpinTrylock(cpu)) {
            model.note(cpu, Mechanism.REFUSED_EARLY);
            return -1;
        }
        boolean canRetry = true;
        for (;;) {
            if (size < 0 || size > MAX_SIZE) {
                return -1;
            }
            KmemCache s = bucket(size);
            LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
            int obj = cpu.inNmi() && l.isLocked() ? EBUSY : allocNolock(cpu, s, l);
            if (obj != EBUSY) {
                return obj;
            }
            if (!canRetry) {
                return -1;
            }
            model.note(cpu, Mechanism.BUSY_RETRY);
            size = s.size + 1; // the next bucket
            canRetry = false;
        }
    }

    /** {@code kfree(addr)}; NULL and {@link #ZERO_SIZE_PTR} are ignored. */
    public void kfree(Cpu cpu, int addr) {
        if (addr == -1 || addr == ZERO_SIZE_PTR) {
            return;
        }
        PageFrame f = frame(addr);
        if (f != null && f.state == PageState.KMALLOC_LARGE && addr % KmemCache.PAGE_SIZE == 0 && f.order >= 0) {
            pages.free(cpu, f.pfn, f.order, PageState.KMALLOC_LARGE, false); // free_large_kmalloc()
            return;
        }
        Slab slab = lookup(cpu, addr);
        int idx = (addr - slab.pfn * KmemCache.PAGE_SIZE) / slab.cache.size;
        if (slab.cache.cpuSlab[cpu.id()] != slab || !freeToCpuSlab(cpu, slab, idx)) {
            node.slabFree(cpu, slab, idx);
        }
    }

    /**
     * {@link #kfree} as two steps for a stepped machine ({@link Program}): the free up to
     * {@code __slab_free()}'s read of the slab's counters (and its {@code n->list_lock}, when the free
     * moves the slab between lists), then {@code slab_update_freelist()} and the list work. Another
     * CPU may run between them: an object of another CPU's slab meets that CPU's allocations there.
     * A free the CPU's own slab takes, a large kmalloc and NULL end in the first step. Each run of the
     * program frees the address {@code addr} gives at its first step; the free in flight is kept per
     * CPU, so one program may be loaded on several CPUs.
     */
    public Program kfreeSteps(java.util.function.IntSupplier addr) {
        return SlabFree.steps(this, java.util.Objects.requireNonNull(addr, "addr"), deferred.length);
    }

    /** {@code kfree_nolock(addr)}: any context; deferred where the kernel defers. */
    public void kfreeNolock(Cpu cpu, int addr) {
        if (addr == -1 || addr == ZERO_SIZE_PTR) {
            return;
        }
        Slab slab = lookup(cpu, addr);
        KmemCache s = slab.cache;
        int idx = (addr - slab.pfn * KmemCache.PAGE_SIZE) / s.size;
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        if (s.cpuSlab[cpu.id()] != slab || (cpu.inNmi() || config.preemptRt()) && l.isLocked()) {
            synchronized (slab) {
                slab.state[idx] = Slab.DEFERRED;
            }
            defer(cpu, Integer.valueOf(addr)); // a boxed address: a rare path; the kernel's llist reuses the object
            return;
        }
        if (l.isLocked()) { // held by the code this context interrupted: the lockless fast path
            SlabNode.freeObject(slab, idx);
            return;
        }
        long flags = l.tryLockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) { // refused by the RT policy
            synchronized (slab) {
                slab.state[idx] = Slab.DEFERRED;
            }
            defer(cpu, Integer.valueOf(addr));
            return;
        }
        SlabNode.freeObject(slab, idx);
        l.unlockIrqRestore(cpu, flags, Points.SLAB_FREE_CPU_SLAB_IRQRESTORE);
    }

    /**
     * The irq_work that finishes this CPU's deferred work ({@code free_deferred_objects()}): each
     * deferred object through {@code __slab_free()}, each deferred deactivation through
     * {@code deactivate_slab()}. Call it where the kernel's irq_work would run (a safe point with
     * interrupts enabled). Returns how many items it finished.
     */
    public int irqWork(Cpu cpu) {
        int n = 0;
        Object item;
        while ((item = deferred[cpu.id()].relaxedPoll()) != null) {
            if (item instanceof Slab slab) {
                node.deactivate(cpu, slab);
            } else {
                int addr = (Integer) item;
                Slab slab = pages.zone.frames[addr / KmemCache.PAGE_SIZE].slab;
                node.slabFree(cpu, slab, (addr - slab.pfn * KmemCache.PAGE_SIZE) / slab.cache.size);
            }
            n++;
        }
        return n;
    }

    /** Deferred frees and deactivations waiting on {@code cpu}. */
    public int deferredFrees(int cpu) {
        return deferred[cpu].size();
    }

    /** {@code __slab_alloc_node()} with {@code !allow_spin}: an object, -1, or {@code EBUSY}. */
    private int allocNolock(Cpu cpu, KmemCache s, LocalTryLock l) {
        if (l.isLocked()) { // held by an interrupted context (not NMI: checked by the caller)
            int obj = config.preemptRt() ? -1 : allocFromCpuSlab(s, cpu.id()); // the lockless fast path
            return obj >= 0 ? obj : EBUSY; // ___slab_alloc(): local_lock_is_locked() -> -EBUSY
        }
        long flags = l.tryLockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return EBUSY;
        }
        int obj = allocFromCpuSlab(s, cpu.id());
        if (obj >= 0) {
            l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
            return obj;
        }
        Slab old = takeCpuSlab(s, cpu.id());
        l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
        deactivate(cpu, old, true);
        return refill(cpu, s, true);
    }

    /** {@code ___slab_alloc()} after the CPU slab ran out: a partial slab, else a new one; installed as the CPU slab. */
    private int refill(Cpu cpu, KmemCache s, boolean nolock) {
        Slab slab = node.getPartialNode(cpu, s, nolock);
        if (slab == null) {
            slab = newSlab(cpu, s, nolock);
            if (slab == null) {
                return -1;
            }
        }
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        long flags = nolock ? l.tryLockIrqSave(cpu) : l.lockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            deactivate(cpu, slab, true);
            return EBUSY;
        }
        Slab old = takeCpuSlab(s, cpu.id()); // retry_load_slab: someone installed one meanwhile
        s.cpuSlab[cpu.id()] = slab;
        int obj = allocFromCpuSlab(s, cpu.id());
        l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
        deactivate(cpu, old, nolock);
        return obj;
    }

    private Slab newSlab(Cpu cpu, KmemCache s, boolean nolock) {
        int pfn = pages.alloc(cpu, s.order, PageState.SLAB, nolock);
        if (pfn < 0) {
            return null;
        }
        Slab slab = new Slab(s, pfn);
        slab.frozen = true;
        for (int i = pfn; i < pfn + (1 << s.order); i++) {
            pages.zone.frames[i].slab = slab;
        }
        return slab;
    }

    /**
     * A former CPU slab: a full one is just unfrozen; one with free objects is deactivated at once,
     * or from irq_work in the nolock paths ({@code defer_deactivate_slab()}).
     */
    private void deactivate(Cpu cpu, Slab slab, boolean nolock) {
        if (slab == null) {
            return;
        }
        synchronized (slab) {
            if (slab.freeCount == 0) { // get_freelist(): a full slab is unfrozen and left on no list (DEACTIVATE_BYPASS)
                slab.frozen = false;
                return;
            }
        }
        if (nolock) {
            defer(cpu, slab);
        } else {
            node.deactivate(cpu, slab);
        }
    }

    private void defer(Cpu cpu, Object item) {
        model.note(cpu, Mechanism.DEFERRED);
        if (!deferred[cpu.id()].offer(item)) {
            throw new IllegalStateException("deferred free list full"); // sized for every object: cannot happen
        }
    }

    private static Slab takeCpuSlab(KmemCache s, int cpu) {
        Slab old = s.cpuSlab[cpu];
        s.cpuSlab[cpu] = null;
        return old;
    }

    private static int allocFromCpuSlab(KmemCache s, int cpu) {
        Slab slab = s.cpuSlab[cpu];
        if (slab == null) {
            return -1;
        }
        synchronized (slab) {
            int idx = slab.pop();
            if (idx < 0) {
                return -1;
            }
            slab.state[idx] = Slab.ALLOCATED;
            return slab.address(idx);
        }
    }

    /** The kfree fast path on this CPU's slab, under the local lock; false if the slab is no longer the CPU slab. */
    boolean freeToCpuSlab(Cpu cpu, Slab slab, int idx) {
        KmemCache s = slab.cache;
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        long flags = l.lockIrqSave(cpu);
        boolean mine = s.cpuSlab[cpu.id()] == slab;
        if (mine) {
            SlabNode.freeObject(slab, idx);
        }
        l.unlockIrqRestore(cpu, flags, Points.SLAB_FREE_CPU_SLAB_IRQRESTORE);
        return mine;
    }

    /** {@code kmalloc_large()}: whole pages for a size above the largest bucket. */
    private int kmallocLarge(Cpu cpu, int size) {
        long bytes = Integer.toUnsignedLong(size);
        long pagesNeeded = (bytes + KmemCache.PAGE_SIZE - 1) / KmemCache.PAGE_SIZE;
        int order = 64 - Long.numberOfLeadingZeros(pagesNeeded - 1); // get_order()
        int pfn = pages.allocLarge(cpu, order);
        return pfn < 0 ? -1 : pfn * KmemCache.PAGE_SIZE;
    }

    /** {@code kmalloc_slab()}: the cache for {@code size} (1..8192), kmalloc_index()'s choice. */
    KmemCache bucket(int size) {
        for (KmemCache c : caches) {
            if (size <= c.size) {
                return c;
            }
        }
        throw new IllegalStateException("no kmalloc cache for " + size); // callers check the size first
    }

    PageFrame frame(int addr) {
        int pfn = addr < 0 ? -1 : addr / KmemCache.PAGE_SIZE;
        return pfn >= 0 && pfn < pages.zone.pages ? pages.zone.frames[pfn] : null;
    }

    /** The slab of a pointer a caller wants to free, after SLUB's consistency checks. */
    Slab lookup(Cpu cpu, int addr) {
        PageFrame f = frame(addr);
        if (f == null || f.state != PageState.SLAB || f.slab == null) {
            throw bad(cpu, new BadFreeException.InvalidPointer(report(cpu, addr, "Invalid object pointer: not a slab page")));
        }
        Slab slab = f.slab;
        int offset = addr - slab.pfn * KmemCache.PAGE_SIZE;
        if (offset % slab.cache.size != 0 || offset / slab.cache.size >= slab.objects) {
            throw bad(cpu, new BadFreeException.InteriorPointer(report(cpu, addr,
                    "Invalid object pointer: not at the start of a " + slab.cache.name + " object")));
        }
        byte st;
        synchronized (slab) {
            st = slab.state[offset / slab.cache.size];
        }
        if (st != Slab.ALLOCATED) {
            throw bad(cpu, new BadFreeException.DoubleFree(report(cpu, addr, "Object already free")));
        }
        return slab;
    }

    private static String report(Cpu cpu, int addr, String what) {
        return "BUG: kfree(0x" + Integer.toHexString(addr) + "): " + what + " (CPU#" + cpu.id() + ", "
                + cpu.contextName() + ")";
    }

    private static BadFreeException bad(Cpu cpu, BadFreeException e) {
        cpu.machine().kernelLog().printk(cpu, e.getMessage());
        return e;
    }
}
