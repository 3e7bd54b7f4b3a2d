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
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-4s", ""));
        for (KernelConfig c : cols) {
            sb.append(String.format(" %-14s", c));
        }
        sb.append(" agrees\n");
        StringBuilder notes = new StringBuilder();
        for (AllocatorScenario s : rows) {
            sb.append(String.format("%-4s", s));
            boolean rowAgrees = true;
            for (KernelConfig c : cols) {
                Matrix.Cell cell = byKey.get(s + "/" + c);
                rowAgrees &= cell.agrees();
                sb.append(String.format(" %-14s", cell.result().cellText() + (cell.agrees() ? "" : "!")));
                RunResult f = cell.result().firstFailure();
                if (f != null) {
                    notes.append(String.format("  %s/%s: %s at %s (%s)%n", s, c, f.invariant(), f.label(),
                            String.join(" > ", f.injections())));
                }
            }
            sb.append(rowAgrees ? " yes" : " NO").append('\n');
        }
        sb.append('\n').append("First failures (invariant at injection point):\n").append(notes);
        sb.append(String.format("%n%d cells, depth %d, %d ms; %s%n", m.cells().size(), m.depth(), m.elapsedMillis(),
                m.agrees() ? "every cell agrees with KERNEL-SEMANTICS section 4"
                        : "DISAGREES with KERNEL-SEMANTICS section 4 where marked '!'"));
        return sb.toString();
    }

    /** The JSON of the README: cells with points, failures, verdict, first failure, expectation. */
    public static String json(Matrix m) {
        StringBuilder sb = new StringBuilder("{\"cells\":[");
        List<Matrix.Cell> cells = m.cells();
        for (int i = 0; i < cells.size(); i++) {
            Matrix.Cell c = cells.get(i);
            CellResult r = c.result();
            sb.append(i == 0 ? "" : ",").append("\n{\"scenario\":").append(str(c.scenario().name()))
                    .append(",\"config\":").append(str(c.config().name()))
                    .append(",\"points\":").append(r.points())
                    .append(",\"runs\":").append(r.runs())
                    .append(",\"failures\":").append(r.failures())
                    .append(",\"verdict\":").append(str(r.corrupt() ? "CORRUPT" : "CLEAN"))
                    .append(",\"firstFailure\":");
            RunResult f = r.firstFailure();
            if (f == null) {
                sb.append("null");
            } else {
                sb.append("{\"label\":").append(str(f.label())).append(",\"invariant\":").append(str(f.invariant()))
                        .append(",\"outcome\":").append(str(f.outcome().name())).append('}');
            }
            sb.append(",\"expected\":").append(str(c.expectedCorrupt() ? "CORRUPT" : "CLEAN"))
                    .append(",\"agrees\":").append(c.agrees()).append('}');
        }
        sb.append("\n],\"depth\":").append(m.depth()).append(",\"elapsedMillis\":").append(m.elapsedMillis()).append("}\n");
        return sb.toString();
    }

    /** A JSON string literal. */
    static String str(String s) {
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
