package io.ctxlock.api.spi;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelLock;
import io.ctxlock.api.Machine;
import io.ctxlock.api.PreemptCount;

/**
 * Formats reports the way the kernel's {@code spin_dump()} ({@code kernel/locking/spinlock_debug.c})
 * and lockdep print them, with the model's context names where the kernel prints comm/pid:
 *
 * <pre>
 * BUG: spinlock trylock failure on UP on CPU#0, NMI(perf)
 *  lock: zone-&gt;lock, class: zone-&gt;lock, .owner: task, .owner_cpu: 0
 *  contexts: task &gt; NMI(perf)
 *  preempt_count=0x00110001 (preempt=1 softirq=0x0 hardirq=1 nmi=1), irqs disabled
 *  held locks: zone-&gt;lock (task)
 * </pre>
 *
 * Error paths only: allocates freely. Call on the CPU's own thread.
 */
public final class Splat {
    private Splat() {}

    /** A report about a lock; {@code ownerTag} may be {@link OwnerTag#NO_OWNER}. */
    public static String spinlock(Cpu cpu, KernelLock lock, int ownerTag, String what) {
        String ownerCtx = "none";
        int ownerCpu = -1;
        if (ownerTag != OwnerTag.NO_OWNER) {
            ownerCpu = OwnerTag.cpu(ownerTag);
            ownerCtx = describeOwner(cpu.machine(), ownerTag);
        }
        return "BUG: spinlock " + what + " on CPU#" + cpu.id() + ", " + cpu.contextName() + "\n"
                + " lock: " + lock.name() + ", class: " + lock.lockClass()
                + ", .owner: " + ownerCtx + ", .owner_cpu: " + ownerCpu + "\n"
                + state(cpu);
    }

    /**
     * {@code spin_dump()} of {@code kernel/locking/spinlock_debug.c} (since v4.11), the two
     * KERN_EMERG lines, word for word:
     *
     * <pre>
     * BUG: spinlock recursion on CPU#0, task/1
     *  lock: zone-&gt;lock, .magic: dead4ead, .owner: task/1, .owner_cpu: 0
     * </pre>
     *
     * then, standing for {@code dump_stack()}, the model's context stack, preempt_count and held
     * locks. {@code current} is the CPU's task even in an interrupt (as in the kernel, which is why
     * {@code owner == current} fires first): the model runs one task per CPU, comm {@code task},
     * pid {@code 1 + cpu}. {@code %pS} of the lock is its name. {@code ownerCpu} -1 and a
     * false {@code ownerSet} print the kernel's {@code <none>/-1} and {@code -1}.
     */
    public static String spinDump(Cpu cpu, String lockName, boolean ownerSet, int ownerCpu, String msg) {
        return "BUG: spinlock " + msg + " on CPU#" + cpu.id() + ", " + current(cpu.id()) + "\n"
                + " lock: " + lockName + ", .magic: dead4ead, .owner: "
                + (ownerSet ? current(ownerCpu) : "<none>/-1") + ", .owner_cpu: " + ownerCpu + "\n"
                + state(cpu);
    }

    /** The comm/pid the model prints for the task of {@code cpu}. */
    public static String current(int cpu) {
        return "task/" + (cpu + 1);
    }

    /** A report about the CPU's own state, not about one lock. */
    public static String cpu(Cpu cpu, String what) {
        return "BUG: " + what + " on CPU#" + cpu.id() + ", " + cpu.contextName() + "\n" + state(cpu);
    }

    /** The context that holds {@code ownerTag}, e.g. {@code "task"} or {@code "hardirq(timer)"}. */
    public static String describeOwner(Machine machine, int ownerTag) {
        int cpu = OwnerTag.cpu(ownerTag);
        if (cpu < 0 || cpu >= machine.cpuCount()) {
            return "?";
        }
        // Racy when the owner is another CPU: a diagnostic snapshot, like the kernel's own dump.
        return machine.cpu(cpu).frameName(OwnerTag.depth(ownerTag));
    }

    private static String state(Cpu cpu) {
        return " contexts: " + cpu.contextStack() + "\n"
                + " " + PreemptCount.describe(cpu.preemptCount())
                + (cpu.irqsDisabled() ? ", irqs disabled" : ", irqs enabled") + "\n"
                + " held locks: " + cpu.heldLocks();
    }
}
