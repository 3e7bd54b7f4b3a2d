package io.ctxlock.api;

/**
 * A snapshot of one CPU of a stepped machine, for a host between events ({@link Stepper#state}).
 *
 * @param cpu the CPU's id
 * @param contextStack its nested contexts, outermost first ({@link Cpu#contextStack()})
 * @param heldLocks its held-lock stack ({@link Cpu#heldLocks()})
 * @param preemptCount its {@code preempt_count}
 * @param irqsDisabled {@code irqs_disabled()}
 * @param waitingFor the lock (or cross-CPU call) it spins on, or null
 * @param stepsDone steps of its program completed
 * @param nextStep the label of its next step, or null when its program is done
 * @param running whether one of its steps is on the host's stack (it spins, or it is the step running)
 */
public record CpuState(int cpu, String contextStack, String heldLocks, int preemptCount, boolean irqsDisabled,
        String waitingFor, int stepsDone, String nextStep, boolean running) {}
