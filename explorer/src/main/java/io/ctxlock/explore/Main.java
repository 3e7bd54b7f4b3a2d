package io.ctxlock.explore;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ctxlock} command line.
 *
 * <pre>
 *   ctxlock matrix [--depth 1|2] [--scenario S1,S3] [--config UP,E] [--json FILE] [--report DIR] [--trace DIR]
 *   ctxlock explore --scenario S --config C [--depth 1|2]
 *   ctxlock list
 * </pre>
 *
 * Exit status: 0 when every cell agrees with the record ({@code docs/record.md}), 1 when one does not,
 * 2 on a usage error.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("no command");
            }
            Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
            switch (args[0]) {
                case "list":
                    list(out);
                    return 0;
                case "matrix":
                    return matrix(opts, out);
                case "explore":
                    return explore(opts, out);
                default:
                    throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (IllegalArgumentException e) {
            err.println("ctxlock: " + e.getMessage());
            err.println("usage: ctxlock matrix [--depth 1|2] [--scenario S1,S3] [--config UP,E] [--json FILE]"
                    + " [--report DIR] [--trace DIR]");
            err.println("       ctxlock explore --scenario S --config C [--depth 1|2]");
            err.println("       ctxlock list");
            return 2;
        } catch (IOException e) {
            err.println("ctxlock: " + e);
            return 2;
        }
    }

    private static void list(PrintStream out) {
        out.println("Scenarios:");
        for (AllocatorScenario s : AllocatorScenario.values()) {
            out.printf("  %-3s %s%n", s, s.description());
        }
        out.println("Configurations:");
        for (KernelConfig c : KernelConfig.values()) {
            out.printf("  %-9s %s%n", c, c.description());
        }
    }

    private static int matrix(Map<String, String> opts, PrintStream out) throws IOException {
        Matrix m = Matrix.run(scenarios(opts.get("scenario")), configs(opts.get("config")), depth(opts));
        out.print(Reports.table(m));
        if (opts.containsKey("json")) {
            write(Path.of(opts.get("json")), Reports.json(m));
            out.println("JSON: " + opts.get("json"));
        }
        if (opts.containsKey("report")) {
            Path file = Path.of(opts.get("report")).resolve("index.html");
            write(file, HtmlReport.of(m));
            out.println("HTML report: " + file);
        }
        if (opts.containsKey("trace")) {
            Path dir = Path.of(opts.get("trace"));
            int n = 0;
            for (Matrix.Cell c : m.cells()) {
                if (c.result().firstFailure() != null) {
                    write(dir.resolve(c.scenario() + "-" + c.config() + ".json"),
                            ChromeTrace.of(c.scenario() + " on " + c.config(), c.result().trace()));
                    n++;
                }
            }
            out.println(n + " Perfetto/Chrome traces in " + dir);
        }
        return m.agrees() ? 0 : 1;
    }

    private static int explore(Map<String, String> opts, PrintStream out) {
        List<AllocatorScenario> s = scenarios(required(opts, "scenario"));
        List<KernelConfig> c = configs(required(opts, "config"));
        if (s.size() != 1 || c.size() != 1) {
            throw new IllegalArgumentException("explore takes one scenario and one configuration");
        }
        int depth = depth(opts);
        CellResult r = new Explorer().explore(AllocatorCells.of(s.get(0), c.get(0)), depth);
        Record.Expected expected = Record.load().expected(depth, s.get(0).name(), c.get(0).name());
        Matrix.Cell cell = new Matrix.Cell(s.get(0), c.get(0), r, expected);
        out.printf("%s on %s: %s %s; %d interrupt points, %d injected runs; the record (%s) says %s%n", s.get(0),
                c.get(0), r.verdict(), r.mechanisms(), r.points(), r.runs(), Record.PATH,
                expected == null ? "nothing" : expected);
        if (r.firstRace() != null) {
            out.printf("data races noted in %d run(s); the first: %s%n", r.raceRuns(), r.firstRace());
        }
        if (r.firstFailure() != null) {
            RunResult f = r.firstFailure();
            out.printf("first failure: %s at %s (%s)%n%s%n%ntrace:%n", f.invariant(), f.label(),
                    String.join(", then ", f.injections()), f.message());
            r.trace().forEach(out::println);
        } else {
            out.println("nested trylocks that failed, and why:");
            r.failedTrylocks().forEach((k, v) -> out.printf("  %4d x %s%n", v, k));
            if (r.failedTrylocks().isEmpty()) {
                out.println("  none (no trylock was tried, or none failed)");
            }
        }
        return cell.agrees() ? 0 : 1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static String required(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    private static int depth(Map<String, String> opts) {
        String d = opts.getOrDefault("depth", "1");
        if (!d.equals("1") && !d.equals("2")) {
            throw new IllegalArgumentException("--depth must be 1 or 2, not " + d);
        }
        return Integer.parseInt(d);
    }

    static List<AllocatorScenario> scenarios(String csv) {
        if (csv == null) {
            return List.of(AllocatorScenario.values());
        }
        List<AllocatorScenario> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            try {
                out.add(AllocatorScenario.valueOf(s.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown scenario " + s + " (see ctxlock list)");
            }
        }
        return out;
    }

    static List<KernelConfig> configs(String csv) {
        if (csv == null) {
            return List.of(KernelConfig.values());
        }
        List<KernelConfig> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            try {
                out.add(KernelConfig.valueOf(s.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown configuration " + s + " (see ctxlock list)");
            }
        }
        return out;
    }

    private static void write(Path file, String text) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
