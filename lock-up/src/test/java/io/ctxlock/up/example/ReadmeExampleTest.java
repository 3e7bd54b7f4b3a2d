package io.ctxlock.up.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's example is this package's {@link ReadmeExample}, word for word, and prints what the README shows. */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void theReadmeShowsTheExampleAsItIsCompiledHere() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/ctxlock/up/example/ReadmeExample.java"));
        String code = source.substring(source.indexOf("// README:BEGIN\n") + 16, source.indexOf("// README:END"));
        String readme = Files.readString(README);
        assertTrue(readme.contains("```java\n" + code + "```"), "README.md's java block differs from ReadmeExample.java");
    }

    @Test
    void itPrintsWhatTheReadmeSaysItPrints() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("STATELESS: the NMI's trylock: acquired\n"), printed);
        assertTrue(Files.readString(README).contains("It prints:\n\n```\n" + printed + "```"),
                "README.md's output block differs from what the example prints:\n" + printed);
    }
}
