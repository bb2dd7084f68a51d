package dev.softmaxlab.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code softmaxlab completion}: a bash/zsh completion script for every command, option and listed value, made by
 * picocli's {@link AutoComplete} from the same command model the tool parses with, so it cannot drift from it.
 */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Prints a bash/zsh completion script.",
            "Prints a completion script for bash and zsh: commands, options and their listed values.", ""},
        footerHeading = "%nInstall:%n",
        footer = {
            "  # bash, this shell only; add the line to ~/.bashrc to keep it",
            "  source <(softmaxlab completion)",
            "",
            "  # zsh: enable bash completions first (in ~/.zshrc)",
            "  autoload -U +X compinit && compinit",
            "  autoload -U +X bashcompinit && bashcompinit",
            "  source <(softmaxlab completion)",
            "",
            "softmaxlab must be on the PATH as a command (e.g. a script running java -jar softmaxlab.jar \"$@\")."
        })
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
