package io.ctxlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The documented benchmark command: every benchmark of this module with fixed flags (1 fork, 3 x
 * 1 s warm-up, 5 x 1 s measurement, the GC profiler for bytes per operation), then the JOL
 * footprints, then RESULTS.md with every figure as a ratio against a baseline of the same run
 * and each target marked met or missed.
 *
 * <pre>
 * java -Djdk.attach.allowAttachSelf=true -jar benchmarks/target/benchmarks.jar [--out FILE] [--include REGEX] [--quick]
 * </pre>
 *
 * Options are parsed strictly (an unknown one is a usage error, exit 2), so that no option is ever
 * taken for a file name; {@code --help} prints them.
 */
@Command(name = "benchmarks", sortOptions = false,
        description = "Runs the JMH suite with fixed flags and writes RESULTS.md (every figure a ratio against a"
                + " baseline of the same run).")
public final class Suite implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the results (default:"
            + " benchmarks/RESULTS.md; with --quick, only when given).")
    Path out;

    @Option(names = "--include", paramLabel = "REGEX", defaultValue = "io\\.ctxlock\\.bench\\..*Bench",
            description = "JMH include regex (default: ${DEFAULT-VALUE}).")
    String include;

    @Option(names = "--quick", description = "1 x 0.5 s warm-up, 2 x 0.5 s measurement: a smoke run, too noisy"
            + " for the recorded figures.")
    boolean quick;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Suite()).execute(args));
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        Path target = out != null ? out : quick ? null : Path.of("benchmarks/RESULTS.md");
        if (target != null && Files.isDirectory(target)) {
            System.err.println("benchmarks: --out " + target + ": is a directory, a file is needed");
            return 2;
        }
        Path dir = target == null ? null : target.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            System.err.println("benchmarks: " + target + ": the directory " + dir + " does not exist (run from the"
                    + " repository root, or give --out)");
            return 2;
        }
        TimeValue time = quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        Options opt = new OptionsBuilder().include(include).forks(1).warmupIterations(quick ? 1 : 3)
                .warmupTime(time).measurementIterations(quick ? 2 : 5).measurementTime(time)
                .addProfiler(GCProfiler.class).jvmArgsAppend("-Xmx2g").build();
        Collection<RunResult> results;
        try {
            results = new Runner(opt).run();
        } catch (RunnerException e) {
            System.err.println("benchmarks: " + (e.getMessage() == null ? "no benchmark matches --include " + include
                    : e.getMessage() + " (--include " + include + ")"));
            return 2;
        }
        if (results.isEmpty()) {
            System.err.println("benchmarks: no benchmark matches --include " + include);
            return 2;
        }
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> {score, error, bytes/op}
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("io.ctxlock.bench.", "");
            String backend = r.getParams().getParam("backend");
            if (backend != null) {
                name += "[" + backend + "]";
            }
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                alloc == null ? Double.NaN : alloc.getScore()});
        }
        String md = ResultsReport.markdown(scores, Footprint.measure(), Footprint.layouts(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), LocalDate.now().toString());
        System.out.println(md);
        if (target != null) {
            Files.writeString(target, md, StandardCharsets.UTF_8);
            System.out.println("written: " + target);
        }
        return 0;
    }
}
