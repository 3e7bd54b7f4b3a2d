package io.ctxlock.explore.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks output paths before any work is done, and writes them after. */
final class Outputs {
    private Outputs() {}

    /** A file to write: not empty, not a directory, its directory creatable. */
    static void checkFile(String option, Path file) {
        if (file.toString().isBlank()) {
            throw new OutputException(option + ": an empty path");
        }
        if (Files.isDirectory(file)) {
            throw new OutputException(option + " " + file + ": is a directory, a file is needed");
        }
        Path parent = file.toAbsolutePath().getParent();
        checkCreatableDir(option + " " + file, parent);
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new OutputException(option + " " + file + ": not writable");
        }
    }

    /** A directory to write into: not empty, not an existing file, creatable. */
    static void checkDir(String option, Path dir) {
        if (dir.toString().isBlank()) {
            throw new OutputException(option + ": an empty path");
        }
        checkCreatableDir(option + " " + dir, dir.toAbsolutePath());
    }

    private static void checkCreatableDir(String what, Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new OutputException(what + ": " + p + " exists and is not a directory");
                }
                if (!Files.isWritable(p)) {
                    throw new OutputException(what + ": " + p + " is not writable");
                }
                return;
            }
        }
    }

    static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OutputException("cannot write " + file + ": " + (e.getMessage() == null ? "I/O error" : e.getMessage()));
        }
    }
}
