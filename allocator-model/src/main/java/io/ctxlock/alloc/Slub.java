package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LocalTryLock;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import org.jctools.queues.varhandle.MpscChunkedVarHandleArrayQueue;

/**
 * SLUB's kmalloc caches ({@code mm/slub.c}) over the {@link PageAllocator}: buckets 8..8192,
 * {@code kmalloc}/{@code kfree}, which may take locks, and {@code kmalloc_nolock}/
 * {@code kfree_nolock} (since v6.18), which only trylock, may be called from any context, and on
 * failure return -1 (after one retry in the next bucket) or defer the free onto a per-CPU lock-free
 * list that {@link #irqWork} finishes later (the kernel's irq_work). A deferred free boxes its
 * address: that path is rare, and the kernel's own llist reuses the object's memory instead.
 *
 * <p>The slow path of an allocation leaves the cpu_slab section before it takes
 * {@code n->list_lock}, as {@code ___slab_alloc()} does, so an NMI there finds the cpu_slab lock
 * free and the list lock held: the seed's window. {@code get_partial_node()} finds a slab, passes
 * {@link Points#GET_PARTIAL_NODE_LOOP}, takes it off the list and, after the unlock,
 * {@link #freezeSlab} asserts it was not frozen: {@code BUG_ON(new.frozen)}. Taking off the list a
 * slab that is no longer on it passes silently, as {@code list_del()} does without DEBUG_LIST, so
 * the corruption surfaces where the seed's did. Addresses are ints: pfn * 4096 + offset; -1 is NULL.
 */
public final class Slub {
    static final int MIN_SIZE = 8;
    static final int MAX_SIZE = 8192;

    final KmemCache[] caches;
    private final PageAllocator pages;
    private final KernelConfig config;
    private final MpscChunkedVarHandleArrayQueue<Integer>[] deferred;

    @SuppressWarnings("unchecked")
    Slub(Machine machine, KernelConfig config, PageAllocator pages) {
        this.pages = pages;
        this.config = config;
        int n = Integer.numberOfTrailingZeros(MAX_SIZE) - Integer.numberOfTrailingZeros(MIN_SIZE) + 1;
        this.caches = new KmemCache[n];
        for (int i = 0; i < n; i++) {
            caches[i] = new KmemCache(machine, MIN_SIZE << i);
            if (i > 0) {
                caches[i - 1].next = caches[i];
            }
        }
        this.deferred = new MpscChunkedVarHandleArrayQueue[machine.cpuCount()];
        for (int i = 0; i < deferred.length; i++) {
            deferred[i] = new MpscChunkedVarHandleArrayQueue<>(64, pages.zonePages() * (KmemCache.PAGE_SIZE / MIN_SIZE));
        }
    }

    /** {@code kmalloc(size, GFP_ATOMIC)}: an object of at least {@code size} bytes, or -1. */
    public int kmalloc(Cpu cpu, int size) {
        KmemCache s = bucket(size);
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        long flags = l.lockIrqSave(cpu);
        cpu.interruptPoint(Points.SLAB_ALLOC_CPU_SLAB);
        int obj = allocFromCpuSlab(cpu, s);
        if (obj >= 0) {
            l.unlockIrqRestore(cpu, flags);
            return obj;
        }
        Slab old = s.cpuSlab[cpu.id()];
        s.cpuSlab[cpu.id()] = null;
        l.unlockIrqRestore(cpu, flags);
        deactivate(cpu, old, false);
        return refill(cpu, s, false);
    }

    /** {@code kmalloc_nolock(size)}: any context, trylocks only; -1 if nothing could be had. */
    public int kmallocNolock(Cpu cpu, int size) {
        KmemCache s = bucket(size);
        if (!config.canSpinTrylock(cpu)) {
            return -1;
        }
        int obj = allocNolock(cpu, s);
        if (obj < 0 && s.next != null) {
            obj = allocNolock(cpu, s.next); // one retry in the next bucket, as kmalloc_nolock() does
        }
        return obj;
    }

    /** {@code kfree(addr)}. */
    public void kfree(Cpu cpu, int addr) {
        Slab slab = lookup(cpu, addr);
        int idx = (addr - slab.pfn * KmemCache.PAGE_SIZE) / slab.cache.size;
        if (!freeToCpuSlab(cpu, slab, idx, false)) {
            slabFree(cpu, slab, idx, false);
        }
    }

    /** {@code kfree_nolock(addr)}: any context; deferred when a trylock fails or the context is refused. */
    public void kfreeNolock(Cpu cpu, int addr) {
        Slab slab = lookup(cpu, addr);
        int idx = (addr - slab.pfn * KmemCache.PAGE_SIZE) / slab.cache.size;
        if (!config.canSpinTrylock(cpu) || !freeToCpuSlab(cpu, slab, idx, true) && !slabFree(cpu, slab, idx, true)) {
            synchronized (slab) {
                slab.state[idx] = Slab.DEFERRED;
            }
            if (!deferred[cpu.id()].offer(addr)) {
                throw new IllegalStateException("deferred free list full");
            }
        }
    }

    /**
     * The irq_work that finishes deferred frees of this CPU: call it where the kernel's irq_work
     * would run (a safe point with interrupts enabled). Returns how many it finished.
     */
    public int irqWork(Cpu cpu) {
        int n = 0;
        Integer addr;
        while ((addr = deferred[cpu.id()].relaxedPoll()) != null) {
            Slab slab = pages.zone.frames[addr / KmemCache.PAGE_SIZE].slab;
            int idx = (addr - slab.pfn * KmemCache.PAGE_SIZE) / slab.cache.size;
            if (!freeToCpuSlab(cpu, slab, idx, false)) {
                slabFree(cpu, slab, idx, false);
            }
            n++;
        }
        return n;
    }

    /** Deferred frees waiting on {@code cpu}. */
    public int deferredFrees(int cpu) {
        return deferred[cpu].size();
    }

    private int allocNolock(Cpu cpu, KmemCache s) {
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        long flags = l.tryLockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return -1;
        }
        int obj = allocFromCpuSlab(cpu, s);
        if (obj >= 0) {
            l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
            return obj;
        }
        Slab old = s.cpuSlab[cpu.id()];
        s.cpuSlab[cpu.id()] = null;
        l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
        deactivate(cpu, old, true);
        return refill(cpu, s, true);
    }

    /** {@code ___slab_alloc()} after the cpu slab ran out: a partial slab, else a new one. */
    private int refill(Cpu cpu, KmemCache s, boolean nolock) {
        Slab slab = getPartialNode(cpu, s, nolock);
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
            return -1;
        }
        Slab old = s.cpuSlab[cpu.id()]; // retry_load_slab: someone installed one meanwhile
        s.cpuSlab[cpu.id()] = slab;
        int obj = allocFromCpuSlab(cpu, s);
        l.unlockIrqRestore(cpu, flags, Points.SLAB_ALLOC_IRQRESTORE);
        deactivate(cpu, old, nolock);
        return obj;
    }

    private Slab getPartialNode(Cpu cpu, KmemCache s, boolean trylock) {
        long flags = trylock ? s.listLock.tryLockIrqSave(cpu) : s.listLock.lockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return null;
        }
        Slab slab = s.partial.peekFirst();
        if (slab != null) {
            cpu.interruptPoint(Points.GET_PARTIAL_NODE_LOOP);
            if (slab.onPartial) { // without DEBUG_LIST, list_del of an unlinked entry passes silently
                s.partial.remove(slab);
                slab.onPartial = false;
                s.nrPartial--;
            }
        }
        s.listLock.unlockIrqRestore(cpu, flags, Points.GET_PARTIAL_NODE_IRQRESTORE);
        if (slab != null) {
            freezeSlab(cpu, slab);
        }
        return slab;
    }

    /** {@code freeze_slab()}: {@code BUG_ON(new.frozen)}, the seed's oops at mm/slub.c:4382. */
    private static void freezeSlab(Cpu cpu, Slab slab) {
        synchronized (slab) {
            if (slab.frozen) {
                throw KernelBug.report(cpu, "mm/slub.c: freeze_slab", "BUG_ON(new.frozen)",
                        slab.cache.name + " slab at pfn " + slab.pfn
                                + " is already frozen: somebody else took it off the partial list and froze it");
            }
            slab.frozen = true;
        }
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

    /** {@code deactivate_slab()}: unfreezes; a slab with free objects goes back on the partial list. */
    private void deactivate(Cpu cpu, Slab slab, boolean nolock) {
        if (slab == null) {
            return;
        }
        boolean hasFree;
        synchronized (slab) {
            slab.frozen = false;
            hasFree = slab.freeCount > 0;
        }
        if (hasFree) {
            long flags = nolock ? slab.cache.listLock.tryLockIrqSave(cpu) : slab.cache.listLock.lockIrqSave(cpu);
            if (flags == SpinLock.TRYLOCK_FAILED) {
                return; // stays off-list; the next free into it puts it on the partial list
            }
            addPartial(slab);
            slab.cache.listLock.unlockIrqRestore(cpu, flags, Points.SLAB_FREE_IRQRESTORE);
        }
    }

    private int allocFromCpuSlab(Cpu cpu, KmemCache s) {
        Slab slab = s.cpuSlab[cpu.id()];
        if (slab == null) {
            return -1;
        }
        synchronized (slab) {
            int idx = slab.pop();
            if (idx < 0) {
                return -1;
            }
            if (slab.state[idx] != Slab.FREE) {
                throw KernelBug.report(cpu, "mm/slub.c: ___slab_alloc", "object handed out twice",
                        s.name + " object " + idx + " of slab pfn " + slab.pfn + " is on the freelist but not free");
            }
            slab.state[idx] = Slab.ALLOCATED;
            return slab.address(idx);
        }
    }

    private boolean freeToCpuSlab(Cpu cpu, Slab slab, int idx, boolean nolock) {
        KmemCache s = slab.cache;
        if (s.cpuSlab[cpu.id()] != slab) {
            return false;
        }
        LocalTryLock l = s.cpuSlabLock.thisCpu(cpu);
        long flags = nolock ? l.tryLockIrqSave(cpu) : l.lockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return false;
        }
        boolean mine = s.cpuSlab[cpu.id()] == slab;
        if (mine) {
            freeObject(slab, idx);
        }
        l.unlockIrqRestore(cpu, flags, Points.SLAB_FREE_CPU_SLAB_IRQRESTORE);
        return mine;
    }

    /** {@code __slab_free()}: under n->list_lock; false if a trylock failed. */
    private boolean slabFree(Cpu cpu, Slab slab, int idx, boolean trylock) {
        KmemCache s = slab.cache;
        long flags = trylock ? s.listLock.tryLockIrqSave(cpu) : s.listLock.lockIrqSave(cpu);
        if (flags == SpinLock.TRYLOCK_FAILED) {
            return false;
        }
        cpu.interruptPoint(Points.SLAB_FREE_LIST_LOCK);
        boolean frozen;
        synchronized (slab) {
            freeObject(slab, idx);
            frozen = slab.frozen;
        }
        if (!frozen && !slab.onPartial) {
            addPartial(slab);
        }
        s.listLock.unlockIrqRestore(cpu, flags, Points.SLAB_FREE_IRQRESTORE);
        return true;
    }

    private static void freeObject(Slab slab, int idx) {
        synchronized (slab) {
            slab.state[idx] = Slab.FREE;
            slab.push(idx);
        }
    }

    private static void addPartial(Slab slab) {
        slab.onPartial = true;
        slab.cache.partial.addLast(slab);
        slab.cache.nrPartial++;
    }

    private KmemCache bucket(int size) {
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("kmalloc size " + size + " outside 1.." + MAX_SIZE);
        }
        int i = Math.max(0, 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(MIN_SIZE));
        return caches[i];
    }

    /** The slab of a pointer a caller wants to free, after SLUB's consistency checks. */
    private Slab lookup(Cpu cpu, int addr) {
        int pfn = addr < 0 ? -1 : addr / KmemCache.PAGE_SIZE;
        PageFrame f = pfn >= 0 && pfn < pages.zone.pages ? pages.zone.frames[pfn] : null;
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
