package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job: the matrix agrees with the record, and its JSON, HTML and Perfetto outputs say what it found. */
class MatrixTest {
    @Test
    void theDepthOneMatrixAgreesWithTheRecordEverywhere() {
        Matrix m = Matrix.run(List.of(AllocatorScenario.values()), List.of(KernelConfig.values()), 1);
        assertEquals(AllocatorScenario.values().length * KernelConfig.values().length, m.cells().size());
        for (Matrix.Cell c : m.cells()) {
            assertTrue(c.agrees(), c.scenario() + "/" + c.config() + ": " + c.result().cellText());
            assertTrue(c.result().runs() > 0, c.scenario() + "/" + c.config() + " injected nothing");
        }
        assertTrue(m.agrees());
    }

    @Test
    void theJsonHoldsEveryCellAsComputed() {
        Matrix m = Matrix.run(List.of(AllocatorScenario.S3, AllocatorScenario.S7),
                List.of(KernelConfig.UP, KernelConfig.SMP, KernelConfig.C), 1);
        String json = Reports.json(m);
        Pattern cell = Pattern.compile("\\{\"scenario\":\"(\\w+)\",\"config\":\"(\\w+)\",\"points\":(\\d+),\"runs\":(\\d+),"
                + "\"failures\":(\\d+),\"verdict\":\"(\\w+)\",\"firstFailure\":(null|\\{\"label\":\"([^\"]*)\","
                + "\"invariant\":\"([^\"]*)\",\"outcome\":\"\\w+\"\\}),\"expected\":\"(\\w+)\",\"agrees\":(true|false)\\}");
        Matcher mt = cell.matcher(json);
        int n = 0;
        while (mt.find()) {
            Matrix.Cell c = m.cells().get(n++);
            assertEquals(c.scenario().name(), mt.group(1));
            assertEquals(c.config().name(), mt.group(2));
            assertEquals(c.result().points(), Integer.parseInt(mt.group(3)));
            assertEquals(c.result().runs(), Integer.parseInt(mt.group(4)));
            assertEquals(c.result().failures(), Integer.parseInt(mt.group(5)));
            assertEquals(c.result().corrupt() ? "CORRUPT" : "CLEAN", mt.group(6));
            if (c.result().firstFailure() == null) {
                assertEquals("null", mt.group(7));
            } else {
                assertEquals(c.result().firstFailure().label(), mt.group(8));
                assertEquals(c.result().firstFailure().invariant(), mt.group(9));
            }
            assertEquals(c.expectedCorrupt() ? "CORRUPT" : "CLEAN", mt.group(10));
            assertEquals(c.agrees(), Boolean.parseBoolean(mt.group(11)));
        }
        assertEquals(m.cells().size(), n, json);
        assertTrue(json.contains("\"elapsedMillis\":" + m.elapsedMillis()));
    }

    @Test
    void theHtmlReportAndThePerfettoTraceNameTheFailingLabelAndInvariant(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"matrix", "--scenario", "S3", "--config", "UP,SMP", "--report",
            dir.resolve("report").toString(), "--trace", dir.resolve("trace").toString(), "--json",
            dir.resolve("m.json").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        String html = Files.readString(dir.resolve("report/index.html"));
        assertTrue(html.contains("get_partial_node:loop"), html);
        assertTrue(html.contains("BUG_ON(new.frozen)"));
        assertTrue(html.contains("class=\"band NMI\""), "the NMI is drawn nested on the task");
        String trace = Files.readString(dir.resolve("trace/S3-UP.json"));
        assertTrue(trace.contains("get_partial_node:loop"));
        assertTrue(trace.contains("BUG BUG_ON(new.frozen)"));
        assertEquals(count(trace, "\"ph\":\"B\""), count(trace, "\"ph\":\"E\""), "context slices balance");
        assertTrue(trace.contains("\"name\":\"NMI(kmalloc_nolock)\",\"cat\":\"context\",\"ph\":\"B\""));
        assertTrue(Files.notExists(dir.resolve("trace/S3-SMP.json")), "clean cells have no trace");
        assertTrue(Files.readString(dir.resolve("m.json")).contains("\"scenario\":\"S3\",\"config\":\"UP\""));
    }

    @Test
    void exploreAndListAndBadUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"explore", "--scenario", "S3", "--config", "B"}, ps, ps));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("S3 on B: clean (5)"), text);
        assertTrue(text.contains("kmalloc-64 n->list_lock: nested (NMI(kmalloc_nolock))"), text);
        out.reset();
        assertEquals(0, Main.run(new String[] {"list"}, ps, ps));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("RT "));
        assertEquals(2, Main.run(new String[] {"matrix", "--config", "NOPE"}, ps, ps));
        assertEquals(2, Main.run(new String[] {"matrix", "--depth", "3"}, ps, ps));
        assertEquals(2, Main.run(new String[] {}, ps, ps));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
