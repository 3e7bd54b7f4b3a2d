package io.ctxlock.explore;

import java.util.List;

/**
 * The matrix as an HTML page, and for each failing cell its first failing run drawn as a timeline:
 * one row per event, the contexts as nested coloured bands (task, softirq, hardirq, NMI, probe, as
 * they nested), the locks held after the event, and the row where the invariant broke.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String of(Matrix m) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ctxlock verdict matrix</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #999;padding:2px 6px;font-size:13px}")
                .append(".CORRUPT{background:#f8b4b4}.CLEAN{background:#c9efc9}.ERROR{background:#ddd}.no{outline:3px solid #000}")
                .append(".tl td{border:none;border-bottom:1px solid #eee;font-family:monospace;white-space:nowrap}")
                .append(".band{display:inline-block;width:14px;height:14px;margin-right:1px;vertical-align:middle}")
                .append(".task{background:#9ab}.softirq{background:#7c7}.hardirq{background:#fa4}")
                .append(".NMI{background:#e44}.probe{background:#a6f}.bug{background:#fdd;font-weight:bold}")
                .append("</style></head><body><h1>ctxlock verdict matrix</h1>");
        sb.append("<p>Depth ").append(m.depth()).append(", ").append(m.cells().size()).append(" cells, ")
                .append(m.elapsedMillis()).append(" ms. ")
                .append(m.agrees() ? "Every cell agrees with the record (" + Record.PATH + "), verdicts and mechanisms."
                        : "<b>Cells outlined disagree with the record (" + Record.PATH + ").</b>")
                .append("</p><table><tr><th></th>");
        List<Matrix.Cell> cells = m.cells();
        List<String> cols = cells.stream().map(c -> c.config().name()).distinct().toList();
        for (String c : cols) {
            sb.append("<th>").append(c).append("</th>");
        }
        sb.append("</tr>");
        java.util.Map<String, Matrix.Cell> byKey = new java.util.HashMap<>();
        List<io.ctxlock.alloc.AllocatorScenario> rows = cells.stream().map(Matrix.Cell::scenario).distinct().toList();
        cells.forEach(c -> byKey.put(c.scenario().name() + "/" + c.config().name(), c));
        for (io.ctxlock.alloc.AllocatorScenario s : rows) {
            sb.append("<tr><th title=\"").append(esc(s.description())).append("\">").append(s.name()).append("</th>");
            for (String col : cols) {
                Matrix.Cell c = byKey.get(s.name() + "/" + col);
                if (c == null) {
                    sb.append("<td>-</td>"); // the scenario does not run on this configuration
                    continue;
                }
                String verdict = c.result().verdict().name();
                sb.append("<td class=\"").append(verdict).append(c.agrees() ? "" : " no").append("\" title=\"")
                        .append(esc(String.join(", ", c.result().mechanisms())))
                        .append(c.expected() == null ? "" : esc("; record: " + c.expected())).append("\">");
                if (c.result().firstFailure() != null) {
                    sb.append("<a href=\"#").append(anchor(c)).append("\">").append(esc(c.result().cellText()))
                            .append("</a>");
                } else {
                    sb.append(esc(c.result().cellText()));
                }
                sb.append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table><p>Mechanisms (hover a cell for names): ").append(esc(Mechanisms.legend()))
                .append("; * a data race was noted.</p>");
        for (Matrix.Cell c : cells) {
            if (c.result().firstFailure() != null) {
                timeline(sb, c);
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static void timeline(StringBuilder sb, Matrix.Cell c) {
        RunResult f = c.result().firstFailure();
        sb.append("<h2 id=\"").append(anchor(c)).append("\">").append(c.scenario()).append(" on ").append(c.config())
                .append(": ").append(esc(f.invariant())).append(" at ").append(esc(f.label())).append("</h2><p>")
                .append(esc(c.scenario().description())).append("<br>Injected: ")
                .append(esc(String.join(", then ", f.injections()))).append("</p><pre>").append(esc(f.message()))
                .append("</pre><table class=\"tl\"><tr><th>#</th><th>contexts</th><th>event</th><th>held locks</th></tr>");
        for (TraceEvent e : c.result().trace()) {
            sb.append(e.type() == TraceEvent.Type.BUG ? "<tr class=\"bug\">" : "<tr>").append("<td>").append(e.index())
                    .append("</td><td>");
            for (String ctx : e.context().split(" > ")) {
                String kind = ctx.contains("(") ? ctx.substring(0, ctx.indexOf('(')) : ctx;
                sb.append("<span class=\"band ").append(esc(kind)).append("\" title=\"").append(esc(ctx))
                        .append("\"></span>");
            }
            sb.append(' ').append(esc(e.context().substring(e.context().lastIndexOf('>') + 1).trim())).append("</td><td>")
                    .append(e.type()).append(' ').append(esc(e.detail())).append("</td><td>").append(esc(e.heldLocks()))
                    .append("</td></tr>");
        }
        sb.append("</table>");
    }

    static String anchor(Matrix.Cell c) {
        return c.scenario().name() + "-" + c.config().name();
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
