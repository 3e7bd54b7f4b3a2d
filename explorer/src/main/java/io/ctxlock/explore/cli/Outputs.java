package io.ctxlock.explore.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks output paths before any work is done, and writes them after. */
final class Outputs {
    private Outputs() {}

    /**
     * A file to write: not empty, not a directory, in a directory that exists or can be made and
     * that takes a new file (tried for real, so that permissions and read-only file systems are
     * found before the run, also as root).
     */
    static void checkFile(String option, Path file) {
        if (file.toString().isBlank()) {
            throw new OutputException(option + ": an empty path");
        }
        if (Files.isDirectory(file)) {
            throw new OutputException(option + " " + file + ": is a directory, a file is needed");
        }
        Path parent = file.toAbsolutePath().getParent();
        checkCreatableDir(option + " " + file, parent);
        probe(option + " " + file, parent);
    }

    /** A directory to write into: not empty, not an existing file, creatable, and taking a new file. */
    static void checkDir(String option, Path dir) {
        if (dir.toString().isBlank()) {
            throw new OutputException(option + ": an empty path");
        }
        checkCreatableDir(option + " " + dir, dir.toAbsolutePath());
        probe(option + " " + dir, dir.toAbsolutePath());
    }

    /** Makes {@code dir} and a scratch file in it, then removes the scratch file. */
    private static void probe(String what, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".ctxlock-", ".probe"));
        } catch (IOException e) {
            throw new OutputException(what + ": cannot write in " + dir + ": " + reason(e));
        }
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
            throw new OutputException("cannot write " + file + ": " + reason(e));
        }
    }

    /** What went wrong, in words rather than an exception's class name. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        return e.getMessage() == null ? "I/O error" : "I/O error: " + e.getMessage();
    }
}
