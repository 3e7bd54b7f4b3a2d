package io.ctxlock.explore.cli;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.explore.ChromeTrace;
import io.ctxlock.explore.HtmlReport;
import io.ctxlock.explore.Matrix;
import io.ctxlock.explore.Record;
import io.ctxlock.explore.Reports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctxlock matrix}: every scenario x configuration, explored and compared with the record. */
@Command(name = "matrix", mixinStandardHelpOptions = true, versionProvider = Ctxlock.Version.class, sortOptions = false,
        description = "Injects an interrupt at every interrupt point of every scenario on every configuration (for the"
                + " cross-CPU X1-X3, over every schedule of its two CPUs up to the depth in preemptions) and"
                + " compares each cell's verdict and mechanisms with the record (docs/record.md).")
final class MatrixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Selection selection;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the matrix as JSON to FILE.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write an HTML report to DIR/index.html.")
    Path report;

    @Option(names = "--trace", paramLabel = "DIR",
            description = "Also write each failing cell's first failing run as a Chrome/Perfetto trace into DIR.")
    Path trace;

    @Override
    public Integer call() {
        if (json != null) {
            Outputs.checkFile("--json", json);
        }
        if (report != null) {
            Outputs.checkDir("--report", report);
        }
        if (trace != null) {
            Outputs.checkDir("--trace", trace);
        }
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.forTerminal(spec.commandLine().getErr());
        Matrix m = Matrix.run(selection.scenarios(), selection.configs(), selection.depth(), Record.load(), progress);
        progress.finish();
        out.print(Reports.table(m));
        out.flush(); // the table stands even if an output below cannot be written
        if (json != null) {
            Outputs.write(json, Reports.json(m));
            out.println("JSON: " + json);
        }
        if (report != null) {
            Path file = report.resolve("index.html");
            Outputs.write(file, HtmlReport.of(m));
            out.println("HTML report: " + file);
        }
        if (trace != null) {
            int n = 0;
            for (Matrix.Cell c : m.cells()) {
                if (c.result().firstFailure() != null) {
                    Outputs.write(trace.resolve(c.scenario() + "-" + c.config() + ".json"),
                            ChromeTrace.of(c.scenario() + " on " + c.config(), c.result().trace()));
                    n++;
                }
            }
            out.println(n + " Perfetto/Chrome traces in " + trace);
        }
        out.flush();
        return m.agrees() ? 0 : 1;
    }

    /** The options {@code matrix} and {@code explore} share. */
    static final class Selection {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        @Option(names = "--depth", paramLabel = "1|2", defaultValue = "1",
                description = "1: one injected interrupt; 2: a second one at every point inside or after the first;"
                        + " for X1-X3, the most preemptions a schedule may have (default: ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--scenario", split = ",", paramLabel = "S",
                description = "Scenarios, comma-separated or repeated (matrix: default all of S1-S8 and X1-X3; explore: one).")
        List<AllocatorScenario> scenarios = new ArrayList<>();

        @Option(names = "--config", split = ",", paramLabel = "C",
                description = "Configurations, comma-separated or repeated (matrix: default all; explore: one).")
        List<KernelConfig> configs = new ArrayList<>();

        int depth() {
            if (depth != 1 && depth != 2) {
                throw new CommandLine.ParameterException(mixee.commandLine(), "--depth must be 1 or 2, not " + depth);
            }
            return depth;
        }

        List<AllocatorScenario> scenarios() {
            return scenarios.isEmpty() ? List.of(AllocatorScenario.values()) : scenarios.stream().distinct().toList();
        }

        List<KernelConfig> configs() {
            return configs.isEmpty() ? List.of(KernelConfig.values()) : configs.stream().distinct().toList();
        }
    }
}
