package io.ctxlock.explore.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ctxlock generate-completion}: a bash/zsh completion script; {@code source <(ctxlock generate-completion)}. */
@Command(name = "generate-completion", mixinStandardHelpOptions = true, versionProvider = Ctxlock.Version.class,
        description = "Prints a bash/zsh completion script for ctxlock: source <(bin/ctxlock generate-completion).")
final class CompletionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("ctxlock", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
