package io.ctxlock.explore.cli;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ctxlock list}: the scenarios and the configurations. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Ctxlock.Version.class, description = "Names the scenarios and the configurations.")
final class ListCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Scenarios:");
        for (AllocatorScenario s : AllocatorScenario.values()) {
            out.printf("  %-3s %s%n", s, s.description());
        }
        out.println("Configurations:");
        for (KernelConfig c : KernelConfig.values()) {
            out.printf("  %-9s %s%n", c, c.description());
        }
        out.flush();
    }
}
