package io.ctxlock.explore.cli;

import io.ctxlock.explore.AllocatorCells;
import io.ctxlock.explore.CellResult;
import io.ctxlock.explore.Explorer;
import io.ctxlock.explore.Matrix;
import io.ctxlock.explore.Record;
import io.ctxlock.explore.RunResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ctxlock explore}: one cell, with its first race and its first failing trace. */
@Command(name = "explore", mixinStandardHelpOptions = true, versionProvider = Ctxlock.Version.class, sortOptions = false,
        description = "Explores one scenario on one configuration and prints its verdict, mechanisms, first race and"
                + " first failing trace, or the nested trylocks that failed and why.")
final class ExploreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    MatrixCommand.Selection selection;

    @Override
    public Integer call() {
        var scenarios = selection.scenarios.stream().distinct().toList();
        var configs = selection.configs.stream().distinct().toList();
        if (scenarios.size() != 1 || configs.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "explore takes exactly one --scenario and one --config");
        }
        PrintWriter out = spec.commandLine().getOut();
        int depth = selection.depth();
        var s = scenarios.get(0);
        var c = configs.get(0);
        if (!s.appliesTo(c)) {
            throw new CommandLine.ParameterException(spec.commandLine(), s + " does not run on " + c
                    + " (the cross-CPU scenarios need two CPUs; X2 and X3 leave out RT)");
        }
        long start = System.nanoTime();
        CellResult r = new Explorer().explore(AllocatorCells.of(s, c), depth);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Record.Expected expected = Record.load().expected(depth, s.name(), c.name());
        Matrix.Cell cell = new Matrix.Cell(s, c, r, expected);
        if (s.crossCpu()) {
            out.printf("%s on %s: %s %s; %d schedules explored in %d ms (at most %d preemption%s, each with no interrupt"
                    + " or one at any point of the injection CPU: %d in the schedule without preemption)%s; the record (%s) says %s%n", s, c, r.verdict(), r.mechanisms(),
                    r.runs(), millis, depth, depth == 1 ? "" : "s", r.points(),
                    r.failures() > 0 ? ", stopped at the first failing one" : "", Record.PATH,
                    expected == null ? "nothing" : expected);
        } else {
            out.printf("%s on %s: %s %s; %d interrupt points, %d injected runs; the record (%s) says %s%n", s, c,
                    r.verdict(), r.mechanisms(), r.points(), r.runs(), Record.PATH, expected == null ? "nothing" : expected);
        }
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
        out.flush();
        return cell.agrees() ? 0 : 1;
    }
}
