package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.explore.example.EmbeddingExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/embedding.md's example runs, twice the same, and prints what the guide shows. */
class EmbeddingExampleTest {
    private static String run() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            EmbeddingExample.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theExamplePrintsWhatTheGuideShowsAndIsReproducible() throws Exception {
        String printed = run();
        assertEquals(printed, run(), "same seed, same run");
        assertTrue(printed.contains("STATELESS explored: CORRUPT 1/1, first failure: slot handed out twice"), printed);
        assertTrue(printed.contains("STATEFUL explored: clean N (1)"), printed);
        assertTrue(Files.readString(Path.of("..", "docs", "embedding.md")).contains("```\n" + printed + "```"),
                "docs/embedding.md shows another output than:\n" + printed);
    }
}
