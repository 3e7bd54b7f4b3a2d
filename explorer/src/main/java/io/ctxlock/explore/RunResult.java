package io.ctxlock.explore;

import java.util.List;
import java.util.Set;

/**
 * One injected run.
 *
 * @param outcome how it ended
 * @param injectedAt the labels of the points where the interrupts were injected, outermost first
 * @param injections the interrupts injected there, e.g. {@code "NMI(kmalloc_nolock)"}
 * @param invariant what broke (the KernelBug's invariant, or the exception's kind); null if clean
 * @param message the full report; null if clean
 * @param failedTrylocks each failed trylock of the run: lock, reason, context
 * @param mechanisms how nested contexts stayed out of held sections in this run (see {@link Mechanisms})
 * @param races the data races the model noted in this run (KCSAN style), oldest first
 */
public record RunResult(Outcome outcome, List<String> injectedAt, List<String> injections, String invariant,
        String message, List<String> failedTrylocks, Set<String> mechanisms, List<String> races) {
    /**
     * The injection point label(s) in the order injected, {@code "first, then second"}: the second may
     * have nested in the first's handler or run after it (an NMI raised in an NMI is latched).
     */
    public String label() {
        return String.join(", then ", injectedAt);
    }
}
