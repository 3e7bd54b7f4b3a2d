package io.ctxlock.explore;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The exploration of one scenario on one configuration.
 *
 * @param scenario scenario id
 * @param points interrupt points of the uninterrupted run (on CPU0; for a cross-CPU scenario, on its
 *     injection CPU in the schedule without preemption)
 * @param runs injected runs; for a cross-CPU scenario, the schedules explored (each with its injection)
 * @param failures runs that did not end {@link Outcome#CLEAN}
 * @param verdict ERROR if any run ended in an error, else CORRUPT or LOCKUP as the first failing run ended, else CLEAN
 * @param mechanisms the union of the runs' mechanisms; {@code no-overlap} alone when a clean cell
 *     shows none and noted no race
 * @param raceRuns runs in which the model noted a data race
 * @param firstRace the first race note of the cell, or null
 * @param firstFailure the first failing run, or null
 * @param trace the full trace of the first failing run (re-run with a recording tracer), or empty
 * @param failedTrylocks over all runs: "lock: reason (context kind)" and how often
 */
public record CellResult(String scenario, int points, int runs, int failures, Verdict verdict,
        SortedSet<String> mechanisms, int raceRuns, String firstRace, RunResult firstFailure, List<TraceEvent> trace,
        Map<String, Integer> failedTrylocks) {
    public boolean corrupt() {
        return verdict == Verdict.CORRUPT;
    }

    /**
     * The matrix cell text: {@code clean ND (15)} (mechanism codes, see {@link Mechanisms}; a
     * {@code *} when a race was noted), {@code CORRUPT* 3/15 B} (failing runs / runs, then the
     * mechanisms of the clean runs) or {@code ERROR 1/15}.
     */
    public String cellText() {
        String race = raceRuns > 0 ? "*" : "";
        String codes = Mechanisms.codes(mechanisms);
        if (verdict == Verdict.CLEAN) {
            return "clean" + race + (codes.isEmpty() ? "" : " " + codes) + " (" + runs + ")";
        }
        return verdict + race + " " + failures + "/" + runs + (codes.isEmpty() ? "" : " " + codes);
    }
}
