package io.ctxlock.alloc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The depth-1 rows of the repository's record ({@code docs/record.md}): the expected results these
 * tests compare with, kept apart from the model. A deliberately small reader, so that the
 * explorer's parser is not the only thing between the document and a test.
 */
final class RecordRows {
    /** Verdict and mechanisms of one cell. */
    record Row(boolean corrupt, Set<String> mechanisms) {}

    private static final Pattern ROW = Pattern.compile("^\\| (S\\d) \\| (\\w+) \\| (clean|CORRUPT) \\| ([^|]+) \\|.*");
    private static final Map<String, Row> DEPTH1 = load();

    private RecordRows() {}

    static Row depth1(AllocatorScenario s, KernelConfig c) {
        Row r = DEPTH1.get(s + "/" + c);
        if (r == null) {
            throw new IllegalStateException("docs/record.md has no depth-1 row for " + s + "/" + c);
        }
        return r;
    }

    private static Map<String, Row> load() {
        Path doc = Path.of("..", "docs", "record.md");
        try {
            Map<String, Row> rows = new HashMap<>();
            boolean depth1 = false;
            for (String line : Files.readAllLines(doc)) {
                if (line.startsWith("## Depth ")) {
                    depth1 = line.startsWith("## Depth 1");
                }
                Matcher m = ROW.matcher(line);
                if (depth1 && m.matches()) {
                    Set<String> mech = new TreeSet<>();
                    for (String x : m.group(4).trim().split(",\\s*")) {
                        if (!x.equals("-")) {
                            mech.add(x);
                        }
                    }
                    rows.put(m.group(1) + "/" + m.group(2), new Row(m.group(3).equals("CORRUPT"), mech));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + doc.toAbsolutePath(), e);
        }
    }
}
