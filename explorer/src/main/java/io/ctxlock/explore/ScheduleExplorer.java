package io.ctxlock.explore;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.Schedule;
import io.ctxlock.api.Stepper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Exploration of a cross-CPU scenario: its CPUs' programs on a stepped machine, over every schedule
 * with at most {@code bound} preemptions (CHESS, Musuvathi and Qadeer 2007: a preemption is a
 * switch away from a CPU that could run its next step; a switch away from a spinning or finished
 * CPU is free), each schedule once with no interrupt and once per (interrupt point of the injection
 * CPU, interrupt). Points are numbered on the injection CPU from the first step, in each schedule's
 * own run. Runs are replays from a fresh machine: a schedule is the list of choices at its decision
 * points, and the search extends each run's choices depth first. The exploration stops at the first
 * failing run, which is re-run with a recording tracer.
 */
final class ScheduleExplorer {
    /** Steps one run may take before it is cut off (programs are short; a loop in a model would be a bug). */
    static final long MAX_STEPS = 100_000;

    /** One decision of a run: the options, the CPU that ran last, whether it spun, what was chosen. */
    private record Decision(int[] options, int current, boolean spinning, int chosen, int preemptionsBefore) {
        boolean isPreemption(int pick) {
            if (spinning || pick == current) {
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

    /** Replays a prefix of choices, then keeps the current CPU while it can run (no preemption). */
    private static final class Replay implements Schedule {
        final int[] prefix;
        final List<Decision> decisions = new ArrayList<>();
        int preemptions;

        Replay(int[] prefix) {
            this.prefix = prefix;
        }

        @Override
        public int choose(int[] options, int current, boolean spinning) {
            int i = decisions.size();
            int pick = i < prefix.length ? prefix[i] : Schedule.nonPreemptive().choose(options, current, spinning);
            Decision d = new Decision(options, current, spinning, pick, preemptions);
            if (d.isPreemption(pick)) {
                preemptions++;
            }
            decisions.add(d);
            return pick;
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            for (Decision d : decisions) {
                b.append(b.length() == 0 ? "" : " ").append(d.chosen());
            }
            return b.toString();
        }
    }

    /** An injection: interrupt {@code handler} at point {@code seq} of the injection CPU; null for none. */
    private record Injection(long seq, int handler) {}

    CellResult explore(Scenario scenario, int bound) {
        long[] points = new long[1];
        run(scenario, new int[0], null, new RecordingTracer(false), points, new ArrayList<>());
        int handlers = scenario.start().interrupts().size();
        List<Injection> injections = new ArrayList<>();
        injections.add(null);
        for (int h = 0; h < handlers; h++) {
            for (long k = 1; k <= points[0]; k++) {
                injections.add(new Injection(k, h));
            }
        }
        Explorer.Tally tally = new Explorer.Tally();
        int[] failingPrefix = null;
        Injection failingInjection = null;
        search:
        for (Injection inj : injections) {
            Deque<int[]> work = new ArrayDeque<>();
            work.push(new int[0]);
            while (!work.isEmpty()) {
                int[] prefix = work.pop();
                List<Decision> decisions = new ArrayList<>();
                RunResult r = run(scenario, prefix, inj, new RecordingTracer(false), new long[1], decisions);
                tally.add(List.of(), r);
                if (r.outcome() != Outcome.CLEAN) {
                    failingPrefix = chosen(decisions);
                    failingInjection = inj;
                    break search;
                }
                for (int i = decisions.size() - 1; i >= prefix.length; i--) {
                    Decision d = decisions.get(i);
                    for (int alt : d.options()) {
                        if (alt != d.chosen() && d.preemptionsBefore() + (d.isPreemption(alt) ? 1 : 0) <= bound) {
                            int[] child = Arrays.copyOf(chosen(decisions.subList(0, i)), i + 1);
                            child[i] = alt;
                            work.push(child);
                        }
                    }
                }
            }
        }
        List<TraceEvent> trace = List.of();
        if (failingPrefix != null) {
            RecordingTracer full = new RecordingTracer(true);
            run(scenario, failingPrefix, failingInjection, full, new long[1], new ArrayList<>());
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

    private static int[] chosen(List<Decision> decisions) {
        int[] out = new int[decisions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = decisions.get(i).chosen();
        }
        return out;
    }

    /**
     * One run from a fresh machine with the schedule's choices starting {@code prefix} and {@code inj}
     * (or none); {@code points[0]} gets the injection CPU's points, {@code decisions} every decision.
     */
    private static RunResult run(Scenario scenario, int[] prefix, Injection inj, RecordingTracer tracer, long[] points,
            List<Decision> decisions) {
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
        Replay schedule = new Replay(prefix);
        st.setSchedule(schedule);
        List<String> labels = new ArrayList<>();
        List<String> injected = new ArrayList<>();
        int target = inst.injectCpu();
        Cpu injectOn = m.cpu(target);
        long base = injectOn.pointSeq();
        RunResult r = Explorer.classify(inst, tracer, labels, injected, () -> {
            m.setTracer(tracer);
            m.setPointObserver((c, label, seq) -> {
                if (c.id() != target) {
                    return;
                }
                points[0] = seq - base;
                if (inj != null && inj.seq() == seq - base) {
                    Interrupt irq = inst.interrupts().get(inj.handler());
                    labels.add("CPU" + target + " " + label);
                    injected.add(irq.toString());
                    tracer.add(c, TraceEvent.Type.INJECT, irq + " at " + label);
                    c.raise(irq);
                }
            });
            try {
                st.run(MAX_STEPS);
            } finally {
                decisions.addAll(schedule.decisions);
                injected.add("schedule " + schedule.describe());
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
        return r;
    }
}
