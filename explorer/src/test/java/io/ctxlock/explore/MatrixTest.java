package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void theDepthOneMatrixAgreesWithTheRecordEverywhereInVerdictAndMechanisms() {
        assertAgreesEverywhere(1);
    }

    @Test
    void theDepthTwoMatrixAgreesWithItsOwnRecordEverywhere() {
        assertAgreesEverywhere(2);
    }

    private static void assertAgreesEverywhere(int depth) {
        Matrix m = Matrix.run(List.of(AllocatorScenario.values()), List.of(KernelConfig.values()), depth);
        assertEquals(AllocatorScenario.values().length * KernelConfig.values().length, m.cells().size());
        for (Matrix.Cell c : m.cells()) {
            assertNotNull(c.expected(), c.scenario() + "/" + c.config() + " has no row in " + Record.PATH);
            assertTrue(c.agrees(), c.scenario() + "/" + c.config() + " at depth " + depth + ": found "
                    + c.result().verdict() + " " + c.result().mechanisms() + ", recorded " + c.expected());
            assertTrue(c.result().runs() > 0, c.scenario() + "/" + c.config() + " injected nothing");
        }
        assertTrue(m.agrees());
    }

    @Test
    void aCellAgreesOnlyWhenVerdictAndMechanismsBothMatch() {
        String row = "## Depth 1\n| S7 | SMP | clean | busy-retry, deferred | mm/slub.c |\n";
        Matrix right = Matrix.run(List.of(AllocatorScenario.S7), List.of(KernelConfig.SMP), 1, Record.parse(row));
        assertTrue(right.agrees());
        Matrix wrongMechanism = Matrix.run(List.of(AllocatorScenario.S7), List.of(KernelConfig.SMP), 1,
                Record.parse(row.replace("busy-retry, deferred", "deferred")));
        assertFalse(wrongMechanism.agrees(), "same verdict, one mechanism missing");
        Matrix wrongVerdict = Matrix.run(List.of(AllocatorScenario.S7), List.of(KernelConfig.SMP), 1,
                Record.parse(row.replace("clean", "CORRUPT")));
        assertFalse(wrongVerdict.agrees());
        Matrix noRow = Matrix.run(List.of(AllocatorScenario.S7), List.of(KernelConfig.SMP), 2, Record.parse(row));
        assertFalse(noRow.agrees(), "a depth-1 row says nothing about depth 2");
        assertThrows(IllegalArgumentException.class, () -> Record.parse(row.replace("deferred", "defered")));
    }

    @Test
    void theShippedRecordHoldsEveryCellAtBothDepths() {
        Record r = Record.load();
        assertEquals(2 * AllocatorScenario.values().length * KernelConfig.values().length, r.size());
        assertEquals(new Record.Expected(Verdict.CORRUPT, new java.util.TreeSet<>()), r.expected(1, "S4", "UP"));
        assertEquals(Verdict.CORRUPT, r.expected(2, "S8", "UP").verdict());
        assertEquals(Verdict.CLEAN, r.expected(1, "S8", "UP").verdict());
    }

    @Test
    void theJsonHoldsEveryCellAsComputed() {
        Matrix m = Matrix.run(List.of(AllocatorScenario.S3, AllocatorScenario.S7),
                List.of(KernelConfig.UP, KernelConfig.SMP, KernelConfig.C), 1);
        String json = Reports.json(m);
        Pattern cell = Pattern.compile("\\{\"scenario\":\"(\\w+)\",\"config\":\"(\\w+)\",\"points\":(\\d+),"
                + "\"runs\":(\\d+),\"failures\":(\\d+),\"verdict\":\"(\\w+)\",\"mechanisms\":\\[([^\\]]*)\\],"
                + "\"raceRuns\":(\\d+),\"firstRace\":(null|\"[^\"]*\"),\"firstFailure\":(null|\\{\"label\":\"([^\"]*)\","
                + "\"injected\":\\[[^\\]]*\\],\"invariant\":\"([^\"]*)\",\"outcome\":\"\\w+\"\\}),"
                + "\"expected\":\\{\"verdict\":\"(\\w+)\",\"mechanisms\":\\[([^\\]]*)\\]\\},\"agrees\":(true|false)\\}");
        Matcher mt = cell.matcher(json);
        int n = 0;
        while (mt.find()) {
            Matrix.Cell c = m.cells().get(n++);
            assertEquals(c.scenario().name(), mt.group(1));
            assertEquals(c.config().name(), mt.group(2));
            assertEquals(c.result().points(), Integer.parseInt(mt.group(3)));
            assertEquals(c.result().runs(), Integer.parseInt(mt.group(4)));
            assertEquals(c.result().failures(), Integer.parseInt(mt.group(5)));
            assertEquals(c.result().verdict().name(), mt.group(6));
            assertEquals(quoted(c.result().mechanisms()), mt.group(7));
            assertEquals(c.result().raceRuns(), Integer.parseInt(mt.group(8)));
            if (c.result().firstFailure() == null) {
                assertEquals("null", mt.group(10));
            } else {
                assertEquals(c.result().firstFailure().label(), mt.group(11));
                assertEquals(c.result().firstFailure().invariant(), mt.group(12));
            }
            assertEquals(c.expected().verdict().name(), mt.group(13));
            assertEquals(quoted(c.expected().mechanisms()), mt.group(14));
            assertEquals(c.agrees(), Boolean.parseBoolean(mt.group(15)));
        }
        assertEquals(m.cells().size(), n, json);
        assertTrue(json.contains("\"elapsedMillis\":" + m.elapsedMillis()));
        assertTrue(json.startsWith("{\"schema\":1,\"depth\":1,\"record\":\"docs/record.md\",\"agrees\":true,"), json);
    }

    private static String quoted(java.util.Collection<String> names) {
        return String.join(",", names.stream().map(x -> "\"" + x + "\"").toList());
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
        assertTrue(html.contains("VM_BUG_ON(new.frozen)"));
        assertTrue(html.contains("class=\"band NMI\""), "the NMI is drawn nested on the task");
        String trace = Files.readString(dir.resolve("trace/S3-UP.json"));
        assertTrue(trace.contains("get_partial_node:loop"));
        assertTrue(trace.contains("BUG VM_BUG_ON(new.frozen)"));
        assertEquals(count(trace, "\"ph\":\"B\""), count(trace, "\"ph\":\"E\""), "context slices balance");
        assertTrue(trace.contains("\"name\":\"NMI(kmalloc_nolock)\",\"cat\":\"context\",\"ph\":\"B\""));
        assertTrue(Files.notExists(dir.resolve("trace/S3-SMP.json")), "clean cells have no trace");
        assertTrue(Files.readString(dir.resolve("m.json")).contains("\"scenario\":\"S3\",\"config\":\"UP\""));
    }

    @Test
    void everyTraceClosesEverySpanAndARunStoppedWithLocksHeldSaysSo() {
        Matrix m = Matrix.run(List.of(AllocatorScenario.values()), List.of(KernelConfig.values()), 1);
        int stopped = 0;
        for (Matrix.Cell c : m.cells()) {
            if (c.result().firstFailure() == null) {
                continue;
            }
            String trace = ChromeTrace.of(c.scenario() + " on " + c.config(), c.result().trace());
            assertEquals(count(trace, "\"cat\":\"lock\",\"ph\":\"b\""), count(trace, "\"cat\":\"lock\",\"ph\":\"e\""),
                    c.scenario() + "/" + c.config() + ": every lock span opened is closed");
            assertEquals(count(trace, "\"ph\":\"B\""), count(trace, "\"ph\":\"E\""), "context slices balance");
            stopped += trace.contains("run stopped: open spans closed here") ? 1 : 0;
        }
        assertTrue(stopped > 0, "S4/UP stops inside zone->lock: its trace must say so");
    }

    @Test
    void exploreAndListAndBadUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"explore", "--scenario", "S3", "--config", "B"}, ps, ps));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("S3 on B: CLEAN [busy-retry, nested-trylock-failed]; 6 interrupt points, 6 injected runs;"
                + " the record (docs/record.md) says CLEAN busy-retry,nested-trylock-failed"), text);
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
