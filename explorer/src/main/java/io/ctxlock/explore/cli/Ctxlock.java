package io.ctxlock.explore.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ctxlock} command: {@code matrix}, {@code explore}, {@code proposals}, {@code list}, {@code help} and
 * {@code generate-completion}. Parsing is strict (picocli): an unknown or misspelled option, a
 * missing or malformed value is a usage error with exit status 2 and the command's usage;
 * {@code --help}/{@code -h} on any command prints its help and exits 0.
 */
@Command(name = "ctxlock", mixinStandardHelpOptions = true, versionProvider = Ctxlock.Version.class,
        description = "Explores kernel locking from nested contexts: scenarios S1-S8 x configurations, compared"
                + " with the record (docs/record.md).",
        subcommands = {MatrixCommand.class, ExploreCommand.class, ProposalsCommand.class, ListCommand.class, CommandLine.HelpCommand.class,
            CompletionCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every cell agrees with the record", "1:a cell disagrees", "2:usage error or unwritable output",
            "3:an internal error of the model (a bug: please report it)"})
public final class Ctxlock implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: matrix, explore, proposals or list");
    }

    /** The command line, ready to execute, with its output and error streams. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Ctxlock());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof OutputException e) {
                line.getErr().println("ctxlock: " + e.getMessage());
                return 2;
            }
            line.getErr().println("ctxlock: internal error, please report it: " + ex);
            ex.printStackTrace(line.getErr());
            return 3;
        });
        return cmd;
    }

    /** {@code --version}: the build's version, from {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Ctxlock.class.getResourceAsStream("/io/ctxlock/explore/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"ctxlock " + p.getProperty("version", "(unknown version)")};
        }
    }
}
