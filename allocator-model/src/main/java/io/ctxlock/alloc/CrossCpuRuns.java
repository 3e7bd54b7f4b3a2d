package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Program;
import io.ctxlock.api.SpinLock;
import java.util.List;

/**
 * The setups and per-CPU programs of the cross-CPU scenarios X1-X3 ({@link AllocatorScenario}),
 * for a stepped two-CPU machine ({@link io.ctxlock.api.Stepper}). The setup runs on the CPUs
 * directly before the first step; each program's steps end where the other CPU may run.
 */
final class CrossCpuRuns {
    private CrossCpuRuns() {}

    /**
     * X1: CPU0 fills two slabs of kmalloc-64 (the first full and on no list, the second its CPU
     * slab, full); CPU1 frees an object of the first ({@code kfree()} -> {@code __slab_free()}: the
     * slab was full, so {@code n->list_lock} and {@code add_partial()}), in two steps; CPU0's task
     * allocates (its CPU slab is full: {@code get_partial_node()} under {@code n->list_lock}) and
     * frees; an NMI on CPU0 calls {@code kmalloc_nolock()} and {@code kfree_nolock()}.
     */
    static AllocatorScenario.Run remoteKfree(KernelModel k, Cpu cpu0) {
        Slub slub = k.slub();
        KmemCache s = slub.bucket(AllocatorScenario.OBJECT_SIZE);
        int[] first = new int[s.objectsPerSlab];
        for (int i = 0; i < first.length; i++) {
            first[i] = slub.kmalloc(cpu0, AllocatorScenario.OBJECT_SIZE); // slab 1
        }
        for (int i = 0; i < s.objectsPerSlab; i++) {
            slub.kmalloc(cpu0, AllocatorScenario.OBJECT_SIZE); // slab 1 deactivated full; slab 2 filled
        }
        int victim = first[0];
        int[] mine = new int[1];
        Program cpu0Task = Program.of(
                Program.step(Points.STEP_KMALLOC, c -> mine[0] = slub.kmalloc(c, AllocatorScenario.OBJECT_SIZE)),
                Program.step(Points.STEP_KFREE, c -> slub.kfree(c, mine[0])));
        Program cpu1Task = slub.kfreeSteps(() -> victim);
        return new AllocatorScenario.Run(null, List.of(cpu0Task, cpu1Task), List.of(Interrupt.nmi("kmalloc_nolock", c -> {
            int o = slub.kmallocNolock(c, AllocatorScenario.OBJECT_SIZE);
            if (o >= 0) {
                slub.kfreeNolock(c, o);
            }
        })), 0);
    }

    /**
     * X2: CPU1's pcp holds three order-0 pages (below {@code high}); CPU0 runs
     * {@code drain_pages_zone(1, zone)} in its four steps; CPU1's task passes two points with
     * interrupts on, where a hardirq frees an order-0 page ({@code free_pages()}: the pcp trylock of
     * CPU1's pcp, else {@code free_one_page()} under {@code zone->lock}).
     */
    static AllocatorScenario.Run remoteDrain(KernelModel k, Cpu cpu0) {
        PageAllocator pa = k.pages();
        Cpu cpu1 = k.machine().cpu(1);
        AllocatorScenario.Spare spare = AllocatorScenario.Spare.pages(pa, cpu1, 0);
        int[] onPcp = {pa.allocPages(cpu1, 0), pa.allocPages(cpu1, 0), pa.allocPages(cpu1, 0)};
        pa.drainPages(cpu1); // what the refills left goes back: the three pages alone will be there
        for (int p : onPcp) {
            pa.freePages(cpu1, p, 0);
        }
        Program cpu0Task = pa.drainPagesZoneSteps(1);
        Program cpu1Task = Program.of(Program.step(Points.STEP_TASK, c -> { }), Program.step(Points.STEP_TASK, c -> { }));
        return new AllocatorScenario.Run(null, List.of(cpu0Task, cpu1Task),
                List.of(Interrupt.hardirq("free_pages", c -> spare.take(p -> pa.freePages(c, p, 0)))), 1);
    }

    /**
     * X3, the classic self-deadlock on two CPUs: a lock L outside the allocator, which each CPU's task
     * takes with interrupts on and a hardirq on CPU0 takes too. Lockdep calls that use
     * "inconsistent lock state" ({@code {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}}, {@code print_usage_bug()}
     * in {@code kernel/locking/lockdep.c}). If the hardirq arrives while CPU0's task holds L, it spins
     * on a lock its own CPU holds and can never get ({@code arch_spin_lock()}, a kernel without
     * CONFIG_DEBUG_SPINLOCK), and CPU1 spins on L behind it: no CPU can run.
     */
    static AllocatorScenario.Run selfDeadlock(KernelModel k) {
        SpinLock l = k.machine().newSpinLock("L");
        Program task = Program.of(Program.step(Points.STEP_LOCK_L, l::lock), Program.step(Points.STEP_UNLOCK_L, l::unlock));
        return new AllocatorScenario.Run(null, List.of(task, task), List.of(Interrupt.hardirq("timer", c -> {
            l.lock(c);
            l.unlock(c);
        })), 0);
    }
}
