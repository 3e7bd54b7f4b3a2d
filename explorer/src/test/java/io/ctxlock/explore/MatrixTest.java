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
import java.util.Map;
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
        assertEquals(applicableCells(), m.cells().size());
        for (Matrix.Cell c : m.cells()) {
            assertNotNull(c.expected(), c.scenario() + "/" + c.config() + " has no row in " + Record.PATH);
            assertTrue(c.agrees(), c.scenario() + "/" + c.config() + " at depth " + depth + ": found "
                    + c.result().verdict() + " " + c.result().mechanisms() + ", recorded " + c.expected());
            assertTrue(c.result().runs() > 0, c.scenario() + "/" + c.config() + " injected nothing");
        }
        assertTrue(m.agrees());
    }

    /** S1-S8 on every configuration, X1 on the two-CPU ones, X2 and X3 on SMP: 9 * 8 + 2 + 1 + 1. */
    private static int applicableCells() {
        int n = 0;
        for (AllocatorScenario s : AllocatorScenario.values()) {
            for (KernelConfig c : KernelConfig.values()) {
                n += s.appliesTo(c) ? 1 : 0;
            }
        }
        assertEquals(8 * 9 + 2 + 1 + 1, n);
        return n;
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
        assertEquals(2 * applicableCells(), r.size());
        assertEquals(new Record.Expected(Verdict.CORRUPT, new java.util.TreeSet<>()), r.expected(1, "S4", "UP"));
        assertEquals(Verdict.CORRUPT, r.expected(2, "S8", "UP").verdict());
        assertEquals(Verdict.CLEAN, r.expected(1, "S8", "UP").verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonHoldsEveryCellAsComputed() {
        Matrix m = Matrix.run(List.of(AllocatorScenario.S3, AllocatorScenario.S7),
                List.of(KernelConfig.UP, KernelConfig.SMP, KernelConfig.C), 1);
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(Reports.json(m));
        assertEquals((double) Reports.SCHEMA, json.get("schema"));
        assertEquals(1.0, json.get("depth"));
        assertEquals(Record.PATH, json.get("record"));
        assertEquals(m.agrees(), json.get("agrees"));
        assertEquals((double) m.elapsedMillis(), json.get("elapsedMillis"));
        List<Object> cells = (List<Object>) json.get("cells");
        assertEquals(m.cells().size(), cells.size());
        for (int n = 0; n < cells.size(); n++) {
            Matrix.Cell c = m.cells().get(n);
            Map<String, Object> j = (Map<String, Object>) cells.get(n);
            assertEquals(c.scenario().name(), j.get("scenario"));
            assertEquals(c.config().name(), j.get("config"));
            assertEquals((double) c.result().points(), j.get("points"));
            assertEquals((double) c.result().runs(), j.get("runs"));
            assertEquals((double) c.result().failures(), j.get("failures"));
            assertEquals(c.result().verdict().name(), j.get("verdict"));
            assertEquals(List.copyOf(c.result().mechanisms()), j.get("mechanisms"));
            assertEquals((double) c.result().raceRuns(), j.get("raceRuns"));
            assertEquals(c.result().firstRace(), j.get("firstRace"));
            RunResult f = c.result().firstFailure();
            Map<String, Object> jf = (Map<String, Object>) j.get("firstFailure");
            if (f == null) {
                assertEquals(null, jf);
            } else {
                assertEquals(f.label(), jf.get("label"));
                assertEquals(f.injections(), jf.get("injected"));
                assertEquals(f.invariant(), jf.get("invariant"));
                assertEquals(f.outcome().name(), jf.get("outcome"));
            }
            Map<String, Object> je = (Map<String, Object>) j.get("expected");
            assertEquals(c.expected().verdict().name(), je.get("verdict"));
            assertEquals(List.copyOf(c.expected().mechanisms()), je.get("mechanisms"));
            assertEquals(c.agrees(), j.get("agrees"));
        }
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
