package io.ctxlock.explore.cli;

/** An output path that cannot be written, said plainly; the command exits 2. */
final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputException(String message) {
        super(message);
    }
}
