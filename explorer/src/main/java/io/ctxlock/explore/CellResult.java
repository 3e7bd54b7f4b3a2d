package io.ctxlock.explore;

import java.util.List;
import java.util.Map;

/**
 * The exploration of one scenario on one configuration.
 *
 * @param scenario scenario id
 * @param points interrupt points of the uninterrupted run (on CPU0)
 * @param runs injected runs
 * @param failures runs that did not end {@link Outcome#CLEAN}
 * @param firstFailure the first failing run, or null
 * @param trace the full trace of the first failing run (re-run with a recording tracer), or empty
 * @param failedTrylocks over all runs: "lock: reason (context kind)" and how often
 */
public record CellResult(String scenario, int points, int runs, int failures, RunResult firstFailure,
        List<TraceEvent> trace, Map<String, Integer> failedTrylocks) {
    public boolean corrupt() {
        return failures > 0;
    }

    /** The matrix cell text: {@code clean (N)} or {@code CORRUPT k/N}. */
    public String cellText() {
        return failures == 0 ? "clean (" + runs + ")" : "CORRUPT " + failures + "/" + runs;
    }
}
