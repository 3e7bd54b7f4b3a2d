package io.ctxlock.explore.cli;

import java.io.PrintWriter;
import java.util.function.BiConsumer;

/**
 * A progress line on stderr for long work: only when stderr is a terminal and only once the work
 * has taken more than a second; quiet otherwise, so that scripts, logs and tests see nothing.
 */
final class Progress implements BiConsumer<Integer, Integer> {
    private final PrintWriter err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private boolean shown;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static Progress forTerminal(PrintWriter err) {
        return new Progress(err, stderrIsTerminal());
    }

    /** Whether file descriptor 2 is a terminal: read from /proc on Linux, else the JVM's console. */
    static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public void accept(Integer done, Integer total) {
        if (!terminal || System.nanoTime() - start < 1_000_000_000L) {
            return;
        }
        shown = true;
        err.print("\r  " + done + "/" + total + " cells explored");
        err.flush();
    }

    /** Clears the progress line, if one was shown. */
    void finish() {
        if (shown) {
            err.print("\r" + " ".repeat(40) + "\r");
            err.flush();
        }
    }
}
