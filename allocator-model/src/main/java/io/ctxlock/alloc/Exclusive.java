package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;

/**
 * The critical section of one lock-protected structure (a zone's free lists, one CPU's pcp lists,
 * a cache's node partial list): the model's {@code ASSERT_EXCLUSIVE_ACCESS()} (KCSAN,
 * {@code include/linux/kcsan-checks.h}). A context that enters while another is inside is a data
 * race, reported through {@link KernelModel#dataRace} and then let in: whether the structure breaks
 * is for its list operations and checks to find, as in the kernel, where the lock that failed to
 * keep the two apart is the only thing a race report says.
 *
 * <p>Entered right after the structure's lock is taken and left right before it is released; the
 * fields are guarded by that lock (plain), and hold the CPU inside and a bit per nesting depth of
 * each of its contexts inside.
 */
final class Exclusive {
    private final KernelModel model;
    private final String structure;
    private int holderCpu = -1; // plain; guarded by the structure's lock
    private long depths; //       plain; bit per context depth of holderCpu inside the section

    Exclusive(KernelModel model, String structure) {
        this.model = model;
        this.structure = structure;
    }

    void enter(Cpu cpu) {
        if (holderCpu >= 0) {
            int inside = 63 - Long.numberOfLeadingZeros(depths);
            model.dataRace(cpu, structure, holderCpu, inside);
            if (holderCpu != cpu.id()) {
                return; // another CPU's entry: only reported, never tracked
            }
        }
        holderCpu = cpu.id();
        depths |= 1L << cpu.depth();
    }

    void exit(Cpu cpu) {
        if (holderCpu != cpu.id()) {
            return;
        }
        depths &= ~(1L << cpu.depth());
        if (depths == 0) {
            holderCpu = -1;
        }
    }
}
