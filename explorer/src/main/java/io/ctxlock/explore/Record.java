package io.ctxlock.explore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record of what the kernel does in each cell: {@code docs/record.md} of the repository, shipped
 * in this jar, parsed here. It is the only source of expected results: nothing in the code under
 * test computes them. A row reads {@code | S3 | UP | CORRUPT | - | mm/slub.c ... |} under a heading
 * {@code ## Depth 1} or {@code ## Depth 2}; the mechanisms column lists names from
 * {@link Mechanisms} separated by commas, or {@code -}.
 */
public final class Record {
    /** Where the record is, in the repository and in the jar. */
    public static final String PATH = "docs/record.md";
    private static final String RESOURCE = "/io/ctxlock/explore/record.md";
    private static final Pattern DEPTH = Pattern.compile("^## Depth (\\d)\\b.*");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*([SX]\\d+)\\s*\\|\\s*(\\w+)\\s*\\|\\s*(clean|CORRUPT|LOCKUP|ERROR)"
            + "\\s*\\|\\s*([^|]*)\\|.*");

    /** What the record says of one cell. */
    public record Expected(Verdict verdict, SortedSet<String> mechanisms) {
        @Override
        public String toString() {
            return verdict + (mechanisms.isEmpty() ? "" : " " + String.join(",", mechanisms));
        }
    }

    private final Map<String, Expected> cells;

    private Record(Map<String, Expected> cells) {
        this.cells = cells;
    }

    /** The record shipped with this build. */
    public static Record load() {
        try (InputStream in = Record.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PATH + " is missing from the jar (" + RESOURCE + ")");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the text of a record. */
    public static Record parse(String text) {
        Map<String, Expected> cells = new HashMap<>();
        int depth = 0;
        for (String line : text.split("\n")) {
            Matcher d = DEPTH.matcher(line);
            if (d.matches()) {
                depth = Integer.parseInt(d.group(1));
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (r.matches() && depth > 0) {
                String key = key(depth, r.group(1), r.group(2));
                SortedSet<String> mech = new TreeSet<>();
                String m = r.group(4).trim();
                if (!m.equals("-")) {
                    Arrays.stream(m.split(",")).map(String::trim).forEach(mech::add);
                }
                for (String name : mech) {
                    if (!Mechanisms.CODES.containsKey(name)) {
                        throw new IllegalArgumentException(PATH + ": unknown mechanism '" + name + "' in " + key);
                    }
                }
                Verdict v = Verdict.valueOf(r.group(3).toUpperCase());
                if (cells.put(key, new Expected(v, java.util.Collections.unmodifiableSortedSet(mech))) != null) {
                    throw new IllegalArgumentException(PATH + ": " + key + " is recorded twice");
                }
            }
        }
        return new Record(cells);
    }

    /** The recorded expectation, or null if the record has no row for the cell. */
    public Expected expected(int depth, String scenario, String config) {
        return cells.get(key(depth, scenario, config));
    }

    /** How many cells the record holds. */
    public int size() {
        return cells.size();
    }

    private static String key(int depth, String scenario, String config) {
        return depth + ":" + scenario + "/" + config;
    }
}
