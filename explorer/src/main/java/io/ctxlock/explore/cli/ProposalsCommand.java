package io.ctxlock.explore.cli;

import io.ctxlock.explore.Costs;
import io.ctxlock.explore.LockCounts;
import io.ctxlock.explore.Proposals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctxlock proposals}: the RFC's table, one row per configuration. */
@Command(name = "proposals", mixinStandardHelpOptions = true, versionProvider = Ctxlock.Version.class, sortOptions = false,
        description = "One row per proposal (UP as it is, UP_DEBUG and RT for reference): the scenarios it keeps"
                + " clean and the holes it leaves (depth 1 and 2), bytes per lock and in all on a UP kernel,"
                + " lock+unlock cost relative to the stateless UP lock, and the call sites it touches.")
final class ProposalsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Output formats. */
    enum Format { text, md, json }

    @Option(names = "--format", defaultValue = "text", description = "text, md (a Markdown table to paste in a mail)"
            + " or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the table as JSON to FILE.")
    Path json;

    @Option(names = "--measure", description = "Measure the run-time figures now (a quick JMH run of the benchmarks"
            + " module, about a minute) instead of showing those of benchmarks/RESULTS.md.")
    boolean measure;

    @Option(names = "--zones", defaultValue = "2", description = "Memory zones (default: ${DEFAULT-VALUE}).")
    int zones;

    @Option(names = "--cpus", defaultValue = "1", description = "CPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--slab-caches", defaultValue = "120", description = "Slab caches (default: ${DEFAULT-VALUE}).")
    int slabCaches;

    @Option(names = "--nodes", defaultValue = "1", description = "NUMA nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--barns", defaultValue = "0", description = "Per-node barns, v7.0+ (default: ${DEFAULT-VALUE}).")
    int barns;

    @Option(names = "--other-locks", defaultValue = "20000",
            description = "Every other spinlock of the kernel (default: ${DEFAULT-VALUE}, an order of magnitude).")
    int otherLocks;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LockCounts counts;
        try {
            counts = new LockCounts(zones, cpus, slabCaches, nodes, barns, otherLocks);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (json != null) {
            Outputs.checkFile("--json", json);
        }
        Costs costs = measure ? Measure.run(spec.commandLine().getErr()) : Costs.shipped();
        List<Proposals.Row> rows = Proposals.table(counts, costs);
        PrintWriter out = spec.commandLine().getOut();
        String asJson = Proposals.json(rows, counts, costs);
        out.print(format == Format.json ? asJson : Proposals.render(rows, counts, costs, format == Format.md));
        if (json != null) {
            Outputs.write(json, asJson);
            out.println("JSON: " + json);
        }
        out.flush();
        return 0;
    }

    /** {@code --measure}: runs the benchmarks jar next to this one in quick mode and reads what it wrote. */
    static final class Measure {
        private Measure() {}

        static Costs run(PrintWriter err) throws IOException, InterruptedException {
            Path jar;
            try {
                jar = Path.of(ProposalsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .getParent().getParent().getParent().resolve("benchmarks/target/benchmarks.jar");
            } catch (java.net.URISyntaxException e) {
                throw new OutputException("cannot locate the benchmarks jar: " + e.getMessage());
            }
            if (!Files.isRegularFile(jar)) {
                throw new OutputException("--measure needs " + jar + ": build it with ./mvnw -q -B -DskipTests"
                        + " -Djcstress.ci.skip=true package");
            }
            Path out = Files.createTempFile("ctxlock-proposals", ".md");
            try {
                err.println("measuring with " + jar + " --quick (about a minute)...");
                err.flush();
                Process p = new ProcessBuilder("java", "-Djdk.attach.allowAttachSelf=true", "-jar", jar.toString(),
                        "--quick", "--out", out.toString(), "--include",
                        "LockPathBench.lockUnlock|BaselineBench.(noop|plainInt|casSetRelease)")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new OutputException("the benchmark run failed (exit " + p.exitValue() + ")");
                }
                return Costs.parse(Files.readString(out, StandardCharsets.UTF_8), "measured now (--measure, JMH --quick)");
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
