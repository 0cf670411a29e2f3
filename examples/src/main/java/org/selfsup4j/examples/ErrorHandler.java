package org.selfsup4j.examples;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.selfsup4j.augment.loader.SampleLoadException;
import org.selfsup4j.core.checkpoint.CorruptCheckpointException;
import org.selfsup4j.speech.io.WavFormatException;
import org.selfsup4j.vision.data.ImageDecodeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the example commands report failures: a user's mistake as one line {@code error: <sentence>}
 * on stderr with an exit code of its kind, anything else as one line plus a hint, and stack traces
 * only with {@code --verbose}.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>done</td></tr>
 *   <tr><td>1</td><td>unexpected failure (a bug, out of memory): run with {@code --verbose}</td></tr>
 *   <tr><td>2</td><td>usage: a bad or unknown option, an {@code --out} holding another run, options
 *       that differ from the run being resumed</td></tr>
 *   <tr><td>3</td><td>data: a missing or unreadable data folder, image, recording or checkpoint</td></tr>
 * </table>
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** Unexpected failure. */
    public static final int SOFTWARE = 1;
    /** Bad command line (picocli's own code for parameter errors). */
    public static final int USAGE = 2;
    /** Data that cannot be read. */
    public static final int DATA = 3;
    /** The option that turns on stack traces. */
    public static final String VERBOSE = "--verbose";

    private final boolean verbose;

    private ErrorHandler(boolean verbose) {
        this.verbose = verbose;
    }

    /**
     * A command line for {@code command} that reports errors as this class says.
     *
     * @param command a picocli command
     * @param args the arguments it will run with (to see {@code --verbose} even when parsing fails)
     * @return the command line
     */
    public static CommandLine commandLine(Object command, String... args) {
        return configure(new CommandLine(command), args);
    }

    /**
     * Sets this class's handlers on {@code commandLine} and on every subcommand it holds now (picocli
     * copies a handler to the subcommands present when it is set, so add them first): a failure in a
     * subcommand is then reported as one in a lone command.
     *
     * @param commandLine a command line, its subcommands added
     * @param args the arguments it will run with (to see {@code --verbose} even when parsing fails)
     * @return {@code commandLine}
     */
    public static CommandLine configure(CommandLine commandLine, String... args) {
        ErrorHandler h = new ErrorHandler(Arrays.asList(args).contains(VERBOSE));
        return commandLine.setExecutionExceptionHandler(h).setParameterExceptionHandler(h);
    }

    /** Runs {@code command} with {@code args} under this handler; returns the exit code. */
    public static int execute(Object command, String... args) {
        return commandLine(command, args).execute(args);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ex.getMessage());
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.println("run with --help for the options");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code = exitCode(ex);
        if (code == SOFTWARE) {
            err.println("error: unexpected " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage()));
        } else {
            err.println("error: " + firstLine(message(ex)));
        }
        if (verbose) {
            ex.printStackTrace(err);
        } else if (code == SOFTWARE) {
            err.println("run with --verbose for the stack trace");
        }
        err.flush();
        return code;
    }

    /** The exit code of a failure: its kind, looking through the causes a loader wraps around a reader's. */
    static int exitCode(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UserError u) {
                return u.exitCode();
            }
            if (t instanceof ParameterException) {
                return USAGE;
            }
            if (t instanceof ImageDecodeException || t instanceof WavFormatException
                    || t instanceof CorruptCheckpointException || t instanceof NoSuchFileException
                    || t instanceof FileNotFoundException || t instanceof AccessDeniedException) {
                return DATA;
            }
            if (t instanceof IllegalArgumentException && !(t instanceof NumberFormatException)) {
                // the library's boundary checks: a setting or an input it refuses, named in the message
                return USAGE;
            }
            if (!(t instanceof SampleLoadException) && !(t instanceof java.io.UncheckedIOException)) {
                return SOFTWARE;
            }
        }
        return SOFTWARE;
    }

    private static String message(Throwable ex) {
        if (ex instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (ex instanceof AccessDeniedException a) {
            return "cannot read " + a.getFile() + " (permission denied)";
        }
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "(no message)";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
