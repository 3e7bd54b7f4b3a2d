package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line is strict: every mistake is exit 2 with a plain message, and nothing is written. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownAndMisspelledOptionsAreUsageErrorsThatSuggestTheRightOne(@TempDir Path dir) {
        assertEquals(2, run("matrix", "--jsn", dir.resolve("out.json").toString()));
        assertTrue(err().contains("Unknown options: '--jsn'"), err());
        assertTrue(err().contains("Possible solutions: --json"), err());
        assertTrue(Files.notExists(dir.resolve("out.json")));
        assertEquals(2, run("matrix", "--bogus", "x"));
        assertEquals(2, run("explore", "--scenario", "S3", "--config", "UP", "--json", "f"), "explore has no --json");
        assertEquals(2, run("matrix", "--depth", "3"));
        assertTrue(err().contains("--depth must be 1 or 2"), err());
        assertEquals(2, run("matrix", "--config", "NOPE"));
        assertEquals(2, run());
        assertEquals(2, run("nonsense"));
    }

    @Test
    void helpOnEveryCommandAndTheVersionExitZero() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {"help", "matrix"}, {"matrix", "--help"},
            {"explore", "-h"}, {"list", "--help"}}) {
            assertEquals(0, run(args), String.join(" ", args));
            assertTrue(out().startsWith("Usage: ctxlock"), String.join(" ", args) + ": " + out());
        }
        assertEquals(0, run("--version"));
        assertTrue(out().matches("ctxlock \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), out());
        assertEquals(0, run("generate-completion"));
        assertTrue(out().contains("complete -F"), "a bash completion script");
    }

    @Test
    void aRepeatedScenarioIsExploredOnceAndRepeatedOptionsAccumulate() {
        assertEquals(0, run("matrix", "--scenario", "S3,S3", "--scenario", "s7", "--config", "UP"));
        assertEquals(1, out().lines().filter(l -> l.startsWith("S3 ")).count(), out());
        assertEquals(1, out().lines().filter(l -> l.startsWith("S7 ")).count(), out());
        assertTrue(out().contains("2 cells, depth 1"), out());
    }

    @Test
    void outputPathsAreCheckedBeforeTheRunWithPlainMessages(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("out.html"), "x");
        assertEquals(2, run("matrix", "--scenario", "S1", "--report", file.toString()));
        assertEquals("ctxlock: --report " + file + ": " + file + " exists and is not a directory\n", err());
        assertEquals("", out(), "nothing was explored");
        assertEquals(2, run("matrix", "--report", ""));
        assertTrue(err().contains("--report: an empty path"), err());
        assertFalse(Files.exists(Path.of("index.html")), "an empty path is not the working directory");
        assertEquals(2, run("matrix", "--json", dir.toString()));
        assertTrue(err().contains("is a directory, a file is needed"), err());
        assertEquals(2, run("matrix", "--trace", file.resolve("sub").toString()));
        assertTrue(err().contains("exists and is not a directory"), err());
        assertFalse(err().contains("Exception"), "no exception class names: " + err());
    }

    @Test
    void theJsonCarriesItsSchemaAndTheInjectedInterrupts(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("sub/m.json");
        assertEquals(0, run("matrix", "--scenario", "S3", "--config", "UP", "--json", json.toString()));
        String text = Files.readString(json);
        assertTrue(text.startsWith("{\"schema\":" + Reports.SCHEMA + ",\"depth\":1,"), text);
        assertTrue(text.contains("\"firstFailure\":{\"label\":\"get_partial_node:loop\",\"injected\":[\"NMI(kmalloc_nolock)\"]"),
                text);
    }

    @Test
    void aRepeatedSingleValueOptionIsAnErrorAndExploreAcceptsARepeatedId(@TempDir Path dir) {
        assertEquals(2, run("matrix", "--json", dir.resolve("a.json").toString(), "--json", dir.resolve("b.json").toString()));
        assertTrue(err().contains("should be specified only once"), err());
        assertEquals(2, run("matrix", "--depth", "1", "--depth", "2"));
        assertEquals(2, run("generate-completion", "--bogus"));
        assertEquals(0, run("explore", "--scenario", "S3,S3", "--config", "B"));
        assertEquals(2, run("explore", "--scenario", "S3,S4", "--config", "B"));
    }

    @Test
    void aPathThatCannotBeWrittenIsFoundBeforeTheRunAlsoAsRoot() {
        assertEquals(2, run("matrix", "--json", "/proc/ctxlock-test/m.json"));
        assertTrue(err().startsWith("ctxlock: --json /proc/ctxlock-test/m.json: cannot write in /proc/ctxlock-test"), err());
        assertEquals("", out(), "nothing was explored");
        assertEquals(2, run("matrix", "--trace", "/proc/ctxlock-traces"));
        assertFalse(err().contains("Exception"), err());
    }
}
