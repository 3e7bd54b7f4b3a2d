package io.ctxlock.explore;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The matrix as text and JSON. */
public final class Reports {
    /**
     * The version of the JSON layout ({@code "schema"}): raised when a field is removed or changes
     * meaning; new fields may appear without it.
     */
    public static final int SCHEMA = 1;

    private Reports() {}

    /** The table: rows scenarios, columns configurations, a last column saying whether the row agrees. */
    public static String table(Matrix m) {
        Set<AllocatorScenario> rows = new LinkedHashSet<>();
        Set<KernelConfig> cols = new LinkedHashSet<>();
        Map<String, Matrix.Cell> byKey = new LinkedHashMap<>();
        for (Matrix.Cell c : m.cells()) {
            rows.add(c.scenario());
            cols.add(c.config());
            byKey.put(c.scenario() + "/" + c.config(), c);
        }
        int width = 6; // "agrees"
        for (Matrix.Cell c : m.cells()) {
            width = Math.max(width, Math.max(c.config().name().length(), c.result().cellText().length() + 1));
        }
        String col = " %-" + width + "s";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-4s", ""));
        for (KernelConfig c : cols) {
            sb.append(String.format(col, c));
        }
        sb.append(" agrees\n");
        StringBuilder notes = new StringBuilder();
        StringBuilder disagreements = new StringBuilder();
        for (AllocatorScenario s : rows) {
            sb.append(String.format("%-4s", s));
            boolean rowAgrees = true;
            for (KernelConfig c : cols) {
                Matrix.Cell cell = byKey.get(s + "/" + c);
                if (cell == null) {
                    sb.append(String.format(col, "-")); // the scenario does not run on this configuration
                    continue;
                }
                rowAgrees &= cell.agrees();
                sb.append(String.format(col, cell.result().cellText() + (cell.agrees() ? "" : "!")));
                RunResult f = cell.result().firstFailure();
                if (f != null) {
                    notes.append(String.format("  %s/%s: %s at %s (%s)%n", s, c, f.invariant(), f.label(),
                            String.join(", then ", f.injections())));
                }
                if (!cell.agrees()) {
                    disagreements.append(String.format("  %s/%s: found %s %s, the record says %s%n", s, c,
                            cell.result().verdict(), String.join(",", cell.result().mechanisms()),
                            cell.expected() == null ? "nothing (no row)" : cell.expected()));
                }
            }
            sb.append(rowAgrees ? " yes" : " NO").append('\n');
        }
        sb.append("\nMechanisms: ").append(Mechanisms.legend()).append("; * a data race was noted\n");
        if (notes.length() > 0) {
            sb.append('\n').append("First failures (invariant at injection point):\n").append(notes);
        }
        if (disagreements.length() > 0) {
            sb.append('\n').append("Disagreements:\n").append(disagreements);
        }
        sb.append(String.format("%n%d cells, depth %d, %d ms; %s%n", m.cells().size(), m.depth(), m.elapsedMillis(),
                m.agrees() ? "every cell agrees with the record (" + Record.PATH + ", verdicts and mechanisms)"
                        : "DISAGREES with the record (" + Record.PATH + ") where marked '!'"));
        return sb.toString();
    }

    /** The matrix as JSON: per cell its counts, verdict, mechanisms, races, first failure and the record's expectation. */
    public static String json(Matrix m) {
        StringBuilder sb = new StringBuilder("{\"schema\":").append(SCHEMA).append(",\"depth\":").append(m.depth()).append(",\"record\":")
                .append(str(Record.PATH)).append(",\"agrees\":").append(m.agrees()).append(",\"cells\":[");
        List<Matrix.Cell> cells = m.cells();
        for (int i = 0; i < cells.size(); i++) {
            Matrix.Cell c = cells.get(i);
            CellResult r = c.result();
            sb.append(i == 0 ? "" : ",").append("\n{\"scenario\":").append(str(c.scenario().name()))
                    .append(",\"config\":").append(str(c.config().name()))
                    .append(",\"points\":").append(r.points())
                    .append(",\"runs\":").append(r.runs())
                    .append(",\"failures\":").append(r.failures())
                    .append(",\"verdict\":").append(str(r.verdict().name()))
                    .append(",\"mechanisms\":").append(strings(r.mechanisms()))
                    .append(",\"raceRuns\":").append(r.raceRuns())
                    .append(",\"firstRace\":").append(r.firstRace() == null ? "null" : str(r.firstRace()))
                    .append(",\"firstFailure\":");
            RunResult f = r.firstFailure();
            if (f == null) {
                sb.append("null");
            } else {
                sb.append("{\"label\":").append(str(f.label())).append(",\"injected\":").append(strings(f.injections()))
                        .append(",\"invariant\":").append(str(f.invariant()))
                        .append(",\"outcome\":").append(str(f.outcome().name())).append('}');
            }
            sb.append(",\"expected\":");
            if (c.expected() == null) {
                sb.append("null");
            } else {
                sb.append("{\"verdict\":").append(str(c.expected().verdict().name())).append(",\"mechanisms\":")
                        .append(strings(c.expected().mechanisms())).append('}');
            }
            sb.append(",\"agrees\":").append(c.agrees()).append('}');
        }
        sb.append("\n],\"elapsedMillis\":").append(m.elapsedMillis()).append("}\n");
        return sb.toString();
    }

    private static String strings(java.util.Collection<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : items) {
            sb.append(sb.length() == 1 ? "" : ",").append(str(s));
        }
        return sb.append(']').toString();
    }

    /** A JSON string literal (also for the example host's trace). */
    public static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
