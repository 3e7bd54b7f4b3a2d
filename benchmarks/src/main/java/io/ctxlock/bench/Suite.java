package io.ctxlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The documented benchmark command: every benchmark of this module with fixed flags (1 fork, 3 x
 * 1 s warm-up, 5 x 1 s measurement, the GC profiler for bytes per operation), then the JOL
 * footprints, then RESULTS.md with every figure as a ratio against a baseline of the same run
 * and each target marked met or missed.
 *
 * <pre>java -Djdk.attach.allowAttachSelf=true -jar benchmarks/target/benchmarks.jar [RESULTS.md path] [include regex]</pre>
 */
public final class Suite {
    private Suite() {}

    public static void main(String[] args) throws RunnerException, IOException, ReflectiveOperationException {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/RESULTS.md");
        String include = args.length > 1 ? args[1] : "io\\.ctxlock\\.bench\\..*Bench";
        Options opt = new OptionsBuilder().include(include).forks(1).warmupIterations(3)
                .warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class).jvmArgsAppend("-Xmx2g").build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> {score, error, bytes/op}
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("io.ctxlock.bench.", "");
            String backend = r.getParams().getParam("backend");
            if (backend != null) {
                name += "[" + backend + "]";
            }
            Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                alloc == null ? Double.NaN : alloc.getScore()});
        }
        String md = ResultsReport.markdown(scores, Footprint.measure(), Footprint.layouts(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), LocalDate.now().toString());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println(md);
        System.out.println("written: " + out);
    }
}
