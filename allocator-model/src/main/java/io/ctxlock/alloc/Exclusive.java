package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;

/**
 * The critical section of one lock-protected structure (a zone's free lists, one CPU's pcp
 * lists), asserting that one context at a time is inside it: the model's
 * {@code ASSERT_EXCLUSIVE_ACCESS()} (KCSAN, {@code include/linux/kcsan-checks.h}).
 *
 * <p>When a nested context enters while the code it interrupted is inside, the lock let two
 * contexts into one critical section; in the kernel the next list operation of either corrupts
 * the list. The model stops there with the kernel's list-debug text rather than simulating the
 * list word by word. Entered right after the lock is taken and left right before it is released;
 * the holder field is guarded by that lock (plain).
 */
final class Exclusive {
    private final String structure;
    private final String where;
    private int holderCpu = -1; // plain; guarded by the structure's lock
    private int holderDepth; //   plain; guarded by the structure's lock

    Exclusive(String structure, String where) {
        this.structure = structure;
        this.where = where;
    }

    /** Enters for an operation whose corruption the kernel reports as {@code invariant}. */
    void enter(Cpu cpu, String invariant) {
        if (holderCpu >= 0) {
            String inside = cpu.machine().cpu(holderCpu).frameName(holderDepth);
            throw KernelBug.report(cpu, where, invariant, structure + " entered by " + cpu.contextName()
                    + " while " + inside + " on CPU#" + holderCpu + " is inside its critical section");
        }
        holderCpu = cpu.id();
        holderDepth = cpu.depth();
    }

    void exit() {
        holderCpu = -1;
    }
}
