package io.ctxlock.explore.cli;

import java.io.PrintWriter;
import java.util.function.BiConsumer;

/**
 * A progress line on stderr for long work: only when stderr is a terminal (a console is attached)
 * and only once the work has taken more than a second; quiet otherwise, so that scripts and tests
 * see nothing.
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
        return new Progress(err, System.console() != null);
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
