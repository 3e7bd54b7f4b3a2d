package io.ctxlock.explore;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.Schedule;
import io.ctxlock.api.Stepper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Exploration of a cross-CPU scenario: its CPUs' programs on a stepped machine, over every schedule
 * with at most {@code bound} preemptions (CHESS, Musuvathi and Qadeer 2007: a preemption is a
 * switch away from a CPU that could run its next step; a switch away from a spinning or finished
 * CPU is free), each with no interrupt or with one at one interrupt point of the injection CPU.
 * A run is the list of its choices: at every decision of the schedule, the CPU; at every point of
 * the injection CPU, the interrupt raised there or none. Runs are replays from a fresh machine of a
 * prefix of choices, then the defaults (the current CPU while it can run, no interrupt); the search
 * extends each run depth first by changing one choice after its prefix (another CPU within the
 * preemption bound, or an interrupt at a point if the run has none before it), so every run is
 * explored once and every point of every schedule is a candidate for the interrupt. The
 * exploration stops at the first failing run, which is re-run with a recording tracer.
 */
final class ScheduleExplorer {
    /** Steps one run may take before it is cut off (programs are short; a loop in a model would be a bug). */
    static final long MAX_STEPS = 100_000;

    /**
     * One choice of a run: a decision of the schedule ({@code point} false: options are CPUs) or a
     * point of the injection CPU ({@code point} true: options are the interrupts; -1 is none).
     */
    private record Choice(boolean point, int[] options, int current, boolean spinning, int chosen,
            int preemptionsBefore, boolean injectedBefore) {
        boolean isPreemption(int pick) {
            if (point || spinning || pick == current) {
                return false;
            }
            for (int o : options) {
                if (o == current) {
                    return true; // the current CPU could have gone on
                }
            }
            return false;
        }
    }

    /** Replays a prefix of choices, then the defaults. */
    private static final class Replay implements Schedule {
        private static final Schedule DEFAULT = Schedule.nonPreemptive();

        final int[] prefix;
        final List<Choice> choices = new ArrayList<>();
        int preemptions;
        boolean injected;

        Replay(int[] prefix) {
            this.prefix = prefix;
        }

        @Override
        public int choose(int[] options, int current, boolean spinning) {
            int i = choices.size();
            int pick = i < prefix.length ? prefix[i] : DEFAULT.choose(options, current, spinning);
            Choice c = new Choice(false, options, current, spinning, pick, preemptions, injected);
            if (c.isPreemption(pick)) {
                preemptions++;
            }
            choices.add(c);
            return pick;
        }

        /** At a point of the injection CPU: the interrupt to raise there, or -1. */
        int atPoint(int handlers) {
            int i = choices.size();
            int pick = i < prefix.length ? prefix[i] : -1;
            int[] options = new int[handlers];
            for (int h = 0; h < handlers; h++) {
                options[h] = h;
            }
            choices.add(new Choice(true, options, -1, false, pick, preemptions, injected));
            injected |= pick >= 0;
            return pick;
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            for (Choice c : choices) {
                if (!c.point()) {
                    b.append(b.length() == 0 ? "" : " ").append(c.chosen());
                }
            }
            return b.toString();
        }
    }

    CellResult explore(Scenario scenario, int bound) {
        long[] points = new long[1]; // the injection CPU's points in the first run: no preemption, no interrupt
        Explorer.Tally tally = new Explorer.Tally();
        int[] failing = null;
        Deque<int[]> work = new ArrayDeque<>();
        work.push(new int[0]);
        while (!work.isEmpty()) {
            int[] prefix = work.pop();
            List<Choice> choices = new ArrayList<>();
            RunResult r = run(scenario, prefix, new RecordingTracer(false), prefix.length == 0 ? points : new long[1],
                    choices);
            tally.add(List.of(), r);
            if (r.outcome() != Outcome.CLEAN) {
                failing = chosen(choices, choices.size());
                break;
            }
            for (int i = prefix.length; i < choices.size(); i++) { // the latest change is tried first
                Choice c = choices.get(i);
                for (int alt : c.options()) {
                    boolean allowed = c.point() ? !c.injectedBefore() // past the prefix a point's pick is none
                            : alt != c.chosen() && c.preemptionsBefore() + (c.isPreemption(alt) ? 1 : 0) <= bound;
                    if (allowed) {
                        int[] child = chosen(choices, i + 1);
                        child[i] = alt;
                        work.push(child);
                    }
                }
            }
        }
        List<TraceEvent> trace = List.of();
        if (failing != null) {
            RecordingTracer full = new RecordingTracer(true);
            run(scenario, failing, full, new long[1], new ArrayList<>());
            trace = List.copyOf(full.events());
        }
        SortedSet<String> mechanisms = new TreeSet<>(tally.mechanisms);
        if (mechanisms.isEmpty() && tally.verdict == Verdict.CLEAN && tally.raceRuns == 0) {
            mechanisms.add(Mechanisms.NO_OVERLAP);
        }
        return new CellResult(scenario.id(), (int) points[0], tally.runs, tally.failures, tally.verdict,
                Collections.unmodifiableSortedSet(mechanisms), tally.raceRuns, tally.firstRace, tally.firstFailure, trace,
                Collections.unmodifiableMap(tally.trylocks));
    }

    /** The first {@code n} choices' picks. */
    private static int[] chosen(List<Choice> choices, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = choices.get(i).chosen();
        }
        return out;
    }

    /**
     * One run from a fresh machine replaying {@code prefix}; {@code points[0]} gets the points the
     * injection CPU passed, {@code choices} every choice.
     */
    private static RunResult run(Scenario scenario, int[] prefix, RecordingTracer tracer, long[] points,
            List<Choice> choices) {
        Scenario.Instance inst = scenario.start();
        Machine m = inst.machine();
        Stepper st = m.stepper();
        if (st == null) {
            throw new IllegalArgumentException(scenario.id() + " has programs but its machine is not stepped");
        }
        List<Program> programs = inst.programs();
        for (int i = 0; i < programs.size(); i++) {
            st.load(i, programs.get(i));
        }
        Replay replay = new Replay(prefix);
        st.setSchedule(replay);
        List<String> labels = new ArrayList<>();
        List<String> injected = new ArrayList<>();
        int target = inst.injectCpu();
        Cpu injectOn = m.cpu(target);
        long base = injectOn.pointSeq();
        int handlers = inst.interrupts().size();
        return Explorer.classify(inst, tracer, labels, injected, () -> {
            m.setTracer(tracer);
            m.setPointObserver((c, label, seq) -> {
                if (c.id() != target) {
                    return;
                }
                points[0] = seq - base;
                int h = replay.atPoint(handlers);
                if (h >= 0) {
                    Interrupt irq = inst.interrupts().get(h);
                    labels.add("CPU" + target + " " + label);
                    injected.add(irq.toString());
                    tracer.add(c, TraceEvent.Type.INJECT, irq + " at " + label);
                    c.raise(irq);
                }
            });
            try {
                st.run(MAX_STEPS);
            } finally {
                choices.addAll(replay.choices);
                injected.add("schedule " + replay.describe());
            }
            m.setPointObserver(null);
            inst.finish();
            for (int i = 0; i < m.cpuCount(); i++) {
                Cpu c = m.cpu(i);
                if (c.preemptCount() != 0 || c.depth() != 0) {
                    throw new IllegalStateException("CPU#" + i + " ended with " + c.contextStack() + ", preempt_count "
                            + c.preemptCount());
                }
            }
        });
    }
}
