package io.ctxlock.explore;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A trace in the Chrome trace-event JSON format, which Perfetto (ui.perfetto.dev) and
 * chrome://tracing open: one thread per CPU that has an event, contexts as nested duration slices ("B"/"E"), lock
 * holds as async slices per lock, points, injections, failed trylocks and the BUG as instant
 * events. The clock is the event index, one microsecond per event. A run stopped by a BUG leaves
 * locks held and contexts open: they are closed at the end, after an instant event that says so,
 * so that every span a viewer draws has both ends.
 */
public final class ChromeTrace {
    private ChromeTrace() {}

    public static String of(String title, List<TraceEvent> events) {
        StringBuilder sb = new StringBuilder("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"title\":")
                .append(Reports.str(title)).append("},\"traceEvents\":[\n");
        int cpus = 1 + events.stream().mapToInt(TraceEvent::cpu).max().orElse(0);
        java.util.List<Deque<String>> opened = new java.util.ArrayList<>(); // each CPU's open contexts
        for (int c = 0; c < cpus; c++) {
            sb.append(c == 0 ? "" : ",\n").append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(c)
                    .append(",\"args\":{\"name\":\"CPU").append(c).append("\"}}");
            sb.append(",\n").append(slice("task", "B", 0, c));
            opened.add(new ArrayDeque<>());
        }
        java.util.Map<String, String[]> locks = new java.util.LinkedHashMap<>(); // open lock spans: id -> {name, tid}
        for (TraceEvent e : events) {
            long ts = e.index() + 1L;
            Deque<String> open = opened.get(e.cpu());
            switch (e.type()) {
                case ENTER -> {
                    open.push(e.detail());
                    sb.append(",\n").append(slice(e.detail(), "B", ts, e.cpu()));
                }
                case EXIT -> {
                    sb.append(",\n").append(slice(open.isEmpty() ? e.detail() : open.pop(), "E", ts, e.cpu()));
                }
                case ACQUIRE, RELEASE -> {
                    String id = e.detail() + "@" + e.context();
                    if (e.type() == TraceEvent.Type.ACQUIRE) {
                        locks.put(id, new String[] {e.detail(), String.valueOf(e.cpu())});
                    } else {
                        locks.remove(id);
                    }
                    sb.append(",\n").append(lockSpan(e.detail(), e.type() == TraceEvent.Type.ACQUIRE ? "b" : "e", id, ts,
                            e.cpu()));
                }
                default -> sb.append(",\n{\"name\":").append(Reports.str(e.type() + " " + e.detail()))
                        .append(",\"ph\":\"i\",\"s\":\"t\",\"ts\":").append(ts).append(",\"pid\":1,\"tid\":")
                        .append(e.cpu()).append(",\"args\":{\"context\":").append(Reports.str(e.context()))
                        .append(",\"held\":").append(Reports.str(e.heldLocks())).append("}}");
            }
        }
        long end = events.size() + 1L;
        if (!locks.isEmpty() || opened.stream().anyMatch(d -> !d.isEmpty())) { // the run was stopped with locks held and contexts open
            sb.append(",\n{\"name\":\"run stopped: open spans closed here\",\"ph\":\"i\",\"s\":\"g\",\"ts\":")
                    .append(end).append(",\"pid\":1,\"tid\":0,\"args\":{\"locks\":")
                    .append(Reports.str(String.join(", ", locks.keySet()))).append("}}");
        }
        for (java.util.Map.Entry<String, String[]> l : locks.entrySet()) {
            sb.append(",\n").append(lockSpan(l.getValue()[0], "e", l.getKey(), end, Integer.parseInt(l.getValue()[1])));
        }
        for (int c = 0; c < cpus; c++) {
            while (!opened.get(c).isEmpty()) {
                sb.append(",\n").append(slice(opened.get(c).pop(), "E", end, c));
            }
            sb.append(",\n").append(slice("task", "E", end, c));
        }
        return sb.append("\n]}\n").toString();
    }

    private static String lockSpan(String name, String ph, String id, long ts, int tid) {
        return "{\"name\":" + Reports.str(name) + ",\"cat\":\"lock\",\"ph\":\"" + ph + "\",\"id\":" + Reports.str(id)
                + ",\"ts\":" + ts + ",\"pid\":1,\"tid\":" + tid + "}";
    }

    private static String slice(String name, String ph, long ts, int tid) {
        return "{\"name\":" + Reports.str(name) + ",\"cat\":\"context\",\"ph\":\"" + ph + "\",\"ts\":" + ts
                + ",\"pid\":1,\"tid\":" + tid + "}";
    }
}
