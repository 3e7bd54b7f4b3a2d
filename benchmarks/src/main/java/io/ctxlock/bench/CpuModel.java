package io.ctxlock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CPU model RESULTS.md records, from {@code /proc/cpuinfo} (Linux), so that ratios name their machine. */
final class CpuModel {
    private CpuModel() {}

    static String describe() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "CPU model unknown (" + System.getProperty("os.arch") + ", no /proc/cpuinfo)";
        }
        String model = null;
        boolean virtual = false;
        for (String l : lines) {
            if (model == null && l.startsWith("model name")) {
                model = l.substring(l.indexOf(':') + 1).trim();
            } else if (l.startsWith("flags") && (" " + l + " ").contains(" hypervisor ")) {
                virtual = true;
            }
        }
        return (model == null ? "CPU model unknown (" + System.getProperty("os.arch") + ")" : model)
                + (virtual ? ", virtual machine" : "");
    }
}
