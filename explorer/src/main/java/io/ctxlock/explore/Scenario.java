package io.ctxlock.explore;

import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Machine;
import java.util.List;

/**
 * Something to explore: a factory of fresh runs, each a machine, a task-side program for CPU0,
 * and the interrupts to inject into it. Written against the public lock API only, so any model a
 * user builds on {@code lock-api} can be explored; the allocator scenarios are one user.
 *
 * <p>A scenario must be deterministic: the same injections give the same run.
 */
public interface Scenario {
    /** Short id, e.g. {@code "S3"}. */
    String id();

    /** One line for listings. */
    String description();

    /** Sets up a fresh machine for one run. */
    Instance start();

    /** One run's machine and program. */
    interface Instance {
        Machine machine();

        /** The task-side program, run on CPU0 of {@link #machine()} in task context. */
        void runTask();

        /** The interrupts an exploration injects, one at a time (or two, nested, at depth 2). */
        List<Interrupt> interrupts();

        /**
         * Called after the task returns: finish deferred work and check the model's invariants,
         * throwing {@link io.ctxlock.api.KernelBug} if one is broken. Does nothing by default.
         */
        default void finish() {}

        /**
         * Mechanism names (see {@link Mechanisms}) the model itself saw nested contexts use in this
         * run, read after {@link #finish()}. None by default.
         */
        default java.util.Set<String> mechanisms() {
            return java.util.Set.of();
        }

        /**
         * One program per CPU for a stepped machine ({@link Machine#stepper()}): a cross-CPU scenario,
         * which the explorer runs over schedules instead of calling {@link #runTask()}. None by default.
         */
        default List<io.ctxlock.api.Program> programs() {
            return List.of();
        }

        /** The CPU the interrupts are injected on; CPU0 by default. */
        default int injectCpu() {
            return 0;
        }

        /** Data races the model noted in this run (KCSAN style), read after the run. None by default. */
        default List<String> races() {
            return List.of();
        }
    }
}
