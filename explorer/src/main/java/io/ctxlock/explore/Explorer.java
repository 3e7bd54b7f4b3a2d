package io.ctxlock.explore;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LockMisuseException;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Systematic interrupt injection. For a scenario it counts the interrupt points of an
 * uninterrupted run of the task, then runs once per (point, interrupt) with that interrupt raised
 * at that point (depth 1); at depth 2 it also raises a second interrupt at every point after the
 * first injection, inside its handler or after it (an NMI inside a hardirq, a hardirq after an
 * NMI). Every run starts from a fresh machine; runs are deterministic, so the first failing run is
 * re-run with a recording tracer to get its full trace, and clean runs pay for no tracing but the
 * failed-trylock hook.
 *
 * <p>Points are CPU0's, numbered by {@link Cpu#pointSeq()}; an injection is a raise on CPU0 at
 * that point, delivered by the hardware rules (a hardirq at a point with interrupts off waits for
 * the next point that enables them).
 */
public final class Explorer {
    /** An explorer; it keeps no state between explorations. */
    public Explorer() {}

    /** An interrupt to raise at CPU0's point number {@code seq}. */
    record Injection(long seq, int interrupt) {}

    /**
     * Explores {@code scenario} at {@code depth} (1 or 2). A cross-CPU scenario (one whose instances
     * have {@linkplain Scenario.Instance#programs() programs}) is explored over schedules with at most
     * {@code depth} preemptions, each with one injected interrupt or none ({@link ScheduleExplorer}).
     */
    public CellResult explore(Scenario scenario, int depth) {
        if (depth < 1 || depth > 2) {
            throw new IllegalArgumentException("depth must be 1 or 2: " + depth);
        }
        Scenario.Instance probe = scenario.start(); // what the scenario is: programs per CPU, its interrupts
        if (!probe.programs().isEmpty()) {
            return new ScheduleExplorer().explore(scenario, depth);
        }
        long[] counted = new long[1];
        run(scenario, List.of(), new RecordingTracer(false), counted); // the uninterrupted run
        int points = (int) counted[0];
        int handlers = probe.interrupts().size();
        Tally tally = new Tally();
        for (int h = 0; h < handlers; h++) {
            for (long i = 1; i <= points; i++) {
                List<Injection> first = List.of(new Injection(i, h));
                tally.add(first, run(scenario, first, new RecordingTracer(false), counted));
                if (depth == 2) {
                    long after = counted[0]; // points passed inside and after the first injection
                    for (int h2 = 0; h2 < handlers; h2++) {
                        for (long j = i + 1; j <= after; j++) {
                            List<Injection> two = List.of(new Injection(i, h), new Injection(j, h2));
                            tally.add(two, run(scenario, two, new RecordingTracer(false)));
                        }
                    }
                }
            }
        }
        List<TraceEvent> trace = List.of();
        if (tally.firstFailing != null) {
            RecordingTracer full = new RecordingTracer(true);
            run(scenario, tally.firstFailing, full);
            trace = List.copyOf(full.events());
        }
        SortedSet<String> mechanisms = new TreeSet<>(tally.mechanisms);
        if (mechanisms.isEmpty() && tally.verdict == Verdict.CLEAN && tally.raceRuns == 0) {
            mechanisms.add(Mechanisms.NO_OVERLAP);
        }
        return new CellResult(scenario.id(), points, tally.runs, tally.failures, tally.verdict,
                Collections.unmodifiableSortedSet(mechanisms), tally.raceRuns, tally.firstRace, tally.firstFailure, trace,
                Collections.unmodifiableMap(tally.trylocks));
    }

    /** One run from a fresh machine. */
    RunResult run(Scenario scenario, List<Injection> injections, RecordingTracer tracer) {
        return run(scenario, injections, tracer, new long[1]);
    }

    /** One run from a fresh machine; {@code points[0]} gets the CPU0 points the task passed, also if it failed. */
    private RunResult run(Scenario scenario, List<Injection> injections, RecordingTracer tracer, long[] points) {
        Scenario.Instance inst = scenario.start();
        List<String> labels = new ArrayList<>();
        List<String> injected = new ArrayList<>();
        return classify(inst, tracer, labels, injected, () -> execute(inst, injections, tracer, labels, injected, points));
    }

    /** Runs {@code body} on {@code inst} and says how it ended, with the mechanisms and failed trylocks seen. */
    static RunResult classify(Scenario.Instance inst, RecordingTracer tracer, List<String> labels, List<String> injected,
            Runnable body) {
        Outcome outcome = Outcome.CLEAN;
        String invariant = null;
        String message = null;
        int cpu = 0; // where the BUG is drawn
        try {
            body.run();
        } catch (KernelBug bug) {
            outcome = Outcome.CORRUPT;
            invariant = bug.invariant();
            message = bug.getMessage();
        } catch (LockMisuseException.Recursion e) {
            outcome = Outcome.RECURSION;
            invariant = "recursive locking";
            message = e.getMessage();
        } catch (LockupException e) {
            outcome = e.decided() ? Outcome.DEADLOCK : Outcome.LOCKUP; // decided by a stepped machine, or a bound
            invariant = e.getMessage().contains("hard LOCKUP") ? "hard LOCKUP" : "soft lockup";
            message = e.getMessage();
            cpu = e.cpu();
        } catch (LockMisuseException e) {
            outcome = Outcome.MISUSE;
            invariant = e.getClass().getSimpleName();
            message = e.getMessage();
        } catch (RuntimeException e) {
            outcome = Outcome.ERROR;
            invariant = e.getClass().getSimpleName();
            message = String.valueOf(e.getMessage());
        }
        if (outcome != Outcome.CLEAN) {
            tracer.add(inst.machine().cpu(cpu), TraceEvent.Type.BUG, invariant);
        }
        List<String> failed = new ArrayList<>();
        Set<String> mechanisms = new TreeSet<>(inst.mechanisms());
        for (TraceEvent e : tracer.events()) {
            if (e.type() == TraceEvent.Type.TRY_FAILED) {
                failed.add(e.detail() + " (" + e.context().substring(e.context().lastIndexOf('>') + 1).trim() + ")");
                if (e.detail().endsWith(": " + TryResult.NESTED.reason())) {
                    mechanisms.add(Mechanisms.NESTED_TRYLOCK_FAILED);
                } else if (e.detail().endsWith(": " + TryResult.OTHER_CPU.reason())) {
                    mechanisms.add(Mechanisms.REMOTE_TRYLOCK_FAILED);
                }
            }
        }
        if (inst.machine().kernelLog().contains("BUG: spinlock ")) {
            mechanisms.add(Mechanisms.DEBUG_REPORT);
        }
        return new RunResult(outcome, labels, injected, invariant, message, failed, mechanisms, inst.races());
    }

    /**
     * Runs the task with the injections, counting in {@code points[0]} the CPU0 points it passes. Point
     * numbers count from the start of the task (the scenario's setup passes points of its own).
     */
    private static void execute(Scenario.Instance inst, List<Injection> injections, RecordingTracer tracer,
            List<String> labels, List<String> injected, long[] points) {
        Cpu cpu0 = inst.machine().cpu(0);
        List<Interrupt> interrupts = inst.interrupts();
        long base = cpu0.pointSeq();
        points[0] = 0;
        inst.machine().setTracer(tracer);
        inst.machine().setPointObserver((c, label, seq) -> {
            if (c.id() != 0) {
                return;
            }
            points[0] = seq - base;
            for (Injection inj : injections) {
                if (inj.seq() == seq - base) {
                    Interrupt irq = interrupts.get(inj.interrupt());
                    labels.add(label);
                    injected.add(irq.toString());
                    tracer.add(c, TraceEvent.Type.INJECT, irq + " at " + label);
                    c.raise(irq);
                }
            }
        });
        inst.runTask();
        inst.machine().setPointObserver(null);
        inst.finish();
        if (cpu0.preemptCount() != 0 || cpu0.depth() != 0) {
            throw new IllegalStateException("task ended with " + cpu0.contextStack() + ", preempt_count "
                    + cpu0.preemptCount());
        }
    }

    /** Counts of one cell's runs. */
    static final class Tally {
        int runs;
        int failures;
        int raceRuns;
        String firstRace;
        Verdict verdict = Verdict.CLEAN;
        RunResult firstFailure;
        List<Injection> firstFailing;
        final Map<String, Integer> trylocks = new TreeMap<>();
        final Set<String> mechanisms = new TreeSet<>();

        void add(List<Injection> injections, RunResult r) {
            runs++;
            for (String t : r.failedTrylocks()) {
                trylocks.merge(t, 1, Integer::sum);
            }
            mechanisms.addAll(r.mechanisms());
            if (!r.races().isEmpty()) {
                raceRuns++;
                if (firstRace == null) {
                    firstRace = r.races().get(0) + " (injected at " + r.label() + ")";
                }
            }
            Verdict v = r.outcome().verdict();
            if (v == Verdict.ERROR || v != Verdict.CLEAN && verdict == Verdict.CLEAN) {
                verdict = v;
            }
            if (r.outcome() != Outcome.CLEAN) {
                failures++;
                if (firstFailure == null || v == Verdict.ERROR && firstFailure.outcome().verdict() != Verdict.ERROR) {
                    firstFailure = r; // an error outranks a corruption: it is what makes the verdict
                    firstFailing = injections;
                }
            }
        }
    }
}
