package io.ctxlock.explore;

import java.util.List;

/**
 * One injected run.
 *
 * @param outcome how it ended
 * @param injectedAt the labels of the points where the interrupts were injected, outermost first
 * @param injections the interrupts injected there, e.g. {@code "NMI(kmalloc_nolock)"}
 * @param invariant what broke (the KernelBug's invariant, or the exception's kind); null if clean
 * @param message the full report; null if clean
 * @param failedTrylocks each failed trylock of the run: lock, reason, context
 */
public record RunResult(Outcome outcome, List<String> injectedAt, List<String> injections, String invariant,
        String message, List<String> failedTrylocks) {
    /** The injection point label(s), joined as {@code "outer > inner"}. */
    public String label() {
        return String.join(" > ", injectedAt);
    }
}
