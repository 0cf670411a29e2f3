package org.selfsup4j.examples.cli;

import java.util.concurrent.Callable;
import org.selfsup4j.examples.ErrorHandler;
import org.selfsup4j.examples.PretrainExample;
import org.selfsup4j.examples.speech.SpeechPretrainExample;
import picocli.CommandLine;
import org.selfsup4j.examples.Verbose;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code selfsup4j} program, the examples jar's main class: pretraining on images
 * ({@code pretrain}, {@link PretrainExample}) and speech ({@code pretrain-speech},
 * {@link SpeechPretrainExample}), and the uses of its files: {@code embed}, {@code evaluate},
 * {@code export} and {@code inspect}.
 *
 * <pre>
 *   java -jar examples/target/selfsup4j-examples.jar pretrain --method byol --data images/ --out runs/byol
 *   java -jar examples/target/selfsup4j-examples.jar embed --encoder runs/byol/encoder.selfsup4j images/ --out e.csv
 * </pre>
 *
 * Every command reports failures as {@link ErrorHandler} says (one line {@code error: ...}, exit 1
 * unexpected, 2 usage, 3 data); {@code --version} prints {@code selfsup4j <version>} on every command;
 * without a command it prints the usage and exits 2.
 */
@Command(name = "selfsup4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Self-supervised pretraining on images and speech, and the tools for its encoder files.",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:unexpected failure (run with --verbose for the stack trace)",
                "2:usage: a bad option or command", "3:data: a missing or unreadable file or folder"},
        footer = {"", "Run 'selfsup4j <command> --help' for a command's options."})
public final class Selfsup4j implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Verbose verbose;

    /**
     * Entry point.
     *
     * @param args a command and its options; see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the program with {@code args} (what {@link #main} does, without exiting).
     *
     * @param args a command and its options
     * @return the exit code
     */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The program's command line: the six commands, {@code --version} on each, {@link ErrorHandler}'s
     * handlers set after the subcommands are added (picocli copies them to the subcommands present).
     *
     * @param args the arguments it will run with (for {@code --verbose})
     * @return the command line
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Selfsup4j());
        // the pretraining commands are the existing programs, registered under the program's names
        cl.addSubcommand("pretrain", new PretrainExample());
        cl.addSubcommand("pretrain-speech", new SpeechPretrainExample());
        cl.addSubcommand(new EmbedCommand());
        cl.addSubcommand(new EvaluateCommand());
        cl.addSubcommand(new ExportCommand());
        cl.addSubcommand(new InspectCommand());
        Version version = new Version();
        cl.getSubcommands().forEach((name, sub) -> {
            // usage lines say the name it runs under, not its @Command name (SpeechPretrainExample)
            sub.getCommandSpec().name(name);
            sub.getCommandSpec().versionProvider(version);
        });
        return ErrorHandler.configure(cl, args);
    }

    /** No command given: the usage, on stderr, as a usage error. */
    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        cl.getErr().println("error: no command given; choose one of " + String.join(", ",
                cl.getSubcommands().keySet()));
        cl.usage(cl.getErr());
        cl.getErr().flush();
        return ErrorHandler.USAGE;
    }
}
