package io.ctxlock.explore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The names of the mechanisms by which a nested context stays out of a section that the code it
 * interrupted is inside, as the record ({@code docs/record.md}) and the matrix use them, with the
 * one-letter codes of the text table. The allocator model reports its own ({@code refused-early},
 * {@code pcp-bypassed}, {@code busy-retry}, {@code deferred}) through
 * {@link Scenario.Instance#mechanisms()}; the explorer sees the others in the trace and the log.
 */
public final class Mechanisms {
    /** A trylock from a nested context failed with reason NESTED, and its caller took its fallback. */
    public static final String NESTED_TRYLOCK_FAILED = "nested-trylock-failed";
    /** A trylock failed with reason OTHER_CPU (another CPU holds the lock), and its caller took its fallback. */
    public static final String REMOTE_TRYLOCK_FAILED = "remote-trylock-failed";
    /** The UP debug spinlock printed its report ({@code BUG: spinlock ...}) in the run. */
    public static final String DEBUG_REPORT = "spinlock-debug-report";
    /** No nested context met a held lock anywhere in the cell (and nothing else was needed). */
    public static final String NO_OVERLAP = "no-overlap";

    /** Every mechanism name, with its code in the text table. */
    public static final Map<String, Character> CODES;

    static {
        Map<String, Character> m = new LinkedHashMap<>();
        m.put(NESTED_TRYLOCK_FAILED, 'N');
        m.put("refused-early", 'R');
        m.put("pcp-bypassed", 'P');
        m.put("busy-retry", 'B');
        m.put("deferred", 'D');
        m.put(NO_OVERLAP, 'O');
        m.put(DEBUG_REPORT, 'L');
        m.put(REMOTE_TRYLOCK_FAILED, 'X');
        CODES = Collections.unmodifiableMap(m);
    }

    private Mechanisms() {}

    /** The codes of {@code names}, in the order of {@link #CODES}: {@code "ND"}. */
    public static String codes(Set<String> names) {
        StringBuilder sb = new StringBuilder();
        CODES.forEach((name, code) -> {
            if (names.contains(name)) {
                sb.append(code);
            }
        });
        return sb.toString();
    }

    /** The legend of the codes, one line. */
    public static String legend() {
        StringBuilder sb = new StringBuilder();
        CODES.forEach((name, code) -> sb.append(sb.length() == 0 ? "" : ", ").append(code).append(' ').append(name));
        return sb.toString();
    }

    /** A sorted copy, for comparison and output. */
    public static SortedSet<String> sorted(Set<String> names) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }
}
