package io.ctxlock.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What one CPU of a stepped machine ({@link Stepper}) runs: a fixed list of steps, each a piece of
 * model code and the label of the interrupt point that ends it. A step is the unit a CPU runs
 * without another CPU's step in between, except where it spins: its own interrupt points deliver
 * this CPU's interrupts, and a lock it waits for lends the host thread to the other CPUs. A CPU is
 * switched only at the end of a step (the point named by its label) or at a spin iteration, so a
 * program that wants another CPU to see it inside a critical section ends a step there: a lock
 * taken in one step and released in a later one is held across the switch points in between.
 *
 * <p>Java has no continuations before JDK 21, so the model's CPUs cannot be suspended at an
 * arbitrary point of a call on the host's thread; a program's steps are where it can be. Kernel
 * paths that other CPUs must see half done are written as steps (the allocator model's remote
 * paths, say); everything inside one step is atomic with respect to the other CPUs' tasks.
 *
 * <p>No kernel counterpart: the kernel's CPUs run concurrently. Immutable; thread-safe.
 *
 * <pre>{@code
 * Program p = Program.of(
 *         Program.step("spin_lock", c -> lock.lock(c)),
 *         Program.step("critical", c -> counter++),
 *         Program.step("spin_unlock", c -> lock.unlock(c)));
 * }</pre>
 */
public final class Program {
    /** One step: {@code body} runs, then the CPU passes the interrupt point {@code label}. */
    public record Step(String label, Consumer<Cpu> body) {
        public Step {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(body, "body");
        }
    }

    private static final Program EMPTY = new Program(List.of());

    private final List<Step> steps;

    private Program(List<Step> steps) {
        this.steps = steps;
    }

    /** A step. */
    public static Step step(String label, Consumer<Cpu> body) {
        return new Step(label, body);
    }

    /** The steps, in order. */
    public static Program of(Step... steps) {
        return new Program(List.of(steps));
    }

    /** The steps, in order. */
    public static Program of(List<Step> steps) {
        return new Program(List.copyOf(steps));
    }

    /** No step: the CPU only idles. */
    public static Program empty() {
        return EMPTY;
    }

    /** This program followed by {@code next}. */
    public Program then(Program next) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new Program(List.copyOf(all));
    }

    /** This program {@code times} times over. */
    public Program repeat(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("repeat count must not be negative: " + times);
        }
        List<Step> all = new ArrayList<>(steps.size() * times);
        for (int i = 0; i < times; i++) {
            all.addAll(steps);
        }
        return new Program(List.copyOf(all));
    }

    public int size() {
        return steps.size();
    }

    public Step step(int index) {
        return steps.get(index);
    }

    /** The index of the first step at or after {@code from} labelled {@code label}, or -1. */
    public int indexOf(String label, int from) {
        for (int i = Math.max(0, from); i < steps.size(); i++) {
            if (steps.get(i).label().equals(label)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Program[");
        for (int i = 0; i < steps.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(steps.get(i).label());
        }
        return b.append(']').toString();
    }
}
