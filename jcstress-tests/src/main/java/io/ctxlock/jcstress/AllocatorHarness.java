package io.ctxlock.jcstress;

import io.ctxlock.alloc.AllocatorInvariants;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.KernelModel;
import io.ctxlock.alloc.PageState;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Machine;

/**
 * One allocator trial: CPU0's task runs kmalloc/kfree; the other actor raises an NMI on CPU0 whose
 * handler calls kmalloc_nolock and kfree_nolock. An object handed out twice stops the run with the
 * model's KernelBug (an actor exception, which jcstress fails). The arbiter delivers a pending NMI,
 * drains deferred work, and checks that every invariant holds and all memory is accounted for.
 */
final class AllocatorHarness {
    private final KernelModel k;
    private final Cpu cpu0;
    private final Interrupt nmi;
    private int nolockGot; // plain; the handler on CPU0's thread, then the arbiter

    AllocatorHarness(KernelConfig config) {
        Machine m = config.machineBuilder().mailboxCapacity(4).build();
        this.k = KernelModel.boot(m, config, 64, 8, 4);
        this.cpu0 = m.cpu(0);
        this.nmi = Interrupt.nmi("bpf_kmalloc", c -> {
            int o = k.slub().kmallocNolock(c, 64);
            if (o >= 0) {
                nolockGot = 1;
                k.slub().kfreeNolock(c, o);
            }
        });
    }

    void task() {
        int a = k.slub().kmalloc(cpu0, 64);
        int b = k.slub().kmalloc(cpu0, 64);
        k.slub().kfree(cpu0, a);
        cpu0.interruptPoint("between");
        k.slub().kfree(cpu0, b);
        cpu0.unbindThread();
    }

    void raise() {
        cpu0.raise(nmi);
    }

    /** 1 if everything is accounted for after the deferred work ran, else 0. */
    int accounted() {
        cpu0.interruptPoint("arbiter");
        k.slub().irqWork(cpu0);
        k.pages().flushDeferred(cpu0);
        AllocatorInvariants.Accounting a = k.invariants().accounting();
        return k.invariants().violations().isEmpty() && a.objectsInUse() == 0 && a.frames(PageState.CALLER) == 0
                && a.frames(PageState.DEFERRED) == 0 ? 1 : 0;
    }

    int nolockGot() {
        return nolockGot;
    }
}
