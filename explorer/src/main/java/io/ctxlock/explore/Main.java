package io.ctxlock.explore;

import io.ctxlock.explore.cli.Ctxlock;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The {@code ctxlock} command line ({@code java -jar explorer/target/ctxlock.jar}, or {@code bin/ctxlock}):
 *
 * <pre>
 *   ctxlock matrix [--depth 1|2] [--scenario S1,S3] [--config UP,E] [--json FILE] [--report DIR] [--trace DIR]
 *   ctxlock explore --scenario S --config C [--depth 1|2]
 *   ctxlock list | help [COMMAND] | generate-completion | --version
 * </pre>
 *
 * Exit status: 0 when every cell agrees with the record ({@code docs/record.md}), 1 when one does
 * not, 2 on a usage error or an output path that cannot be written.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command with the given streams; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cmd = Ctxlock.commandLine();
        cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        return cmd.execute(args);
    }
}
