package io.ctxlock.api;

import java.util.SplittableRandom;

/**
 * Who runs next on a stepped machine ({@link Stepper}). Asked at every switch point: after a step
 * when the host lets the machine run ({@link Stepper#run}), and at every spin iteration of a CPU
 * that waits for a lock, where the waiting CPU gives way to one that can run (a forced switch: a
 * CPU spinning on a held word makes no progress until someone else does). A host that steps CPUs
 * itself ({@link Stepper#step}) decides the first kind on its own; the schedule still decides the
 * second.
 *
 * <p>Schedules may keep state (a random generator, a position in an enumerated schedule): one per
 * machine, called only from the host's thread. The seeded schedule makes a run a function of its
 * seed: the same seed, program and injections give the same run, event for event. No kernel
 * counterpart: it stands for the hardware's timing.
 */
@FunctionalInterface
public interface Schedule {
    /**
     * Picks the CPU to run next.
     *
     * @param options the CPUs that can run a step now, ascending, never empty (not to be modified)
     * @param current the CPU that ran the last step or is spinning, -1 before the first step
     * @param spinning whether {@code current} is waiting for a lock (it is then not among the options)
     * @return one of {@code options}; anything else makes the stepper throw
     */
    int choose(int[] options, int current, boolean spinning);

    /** Keeps the current CPU while it can run, else the lowest option: no preemption. */
    static Schedule nonPreemptive() {
        return (options, current, spinning) -> {
            for (int o : options) {
                if (o == current) {
                    return o;
                }
            }
            return options[0];
        };
    }

    /** The option after the current CPU, in CPU order, wrapping around: a switch at every point. */
    static Schedule roundRobin() {
        return (options, current, spinning) -> {
            for (int o : options) {
                if (o > current) {
                    return o;
                }
            }
            return options[0];
        };
    }

    /** A uniformly random option from a generator seeded with {@code seed} ({@link SplittableRandom}). */
    static Schedule seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return (options, current, spinning) -> options[random.nextInt(options.length)];
    }
}
