package org.selfsup4j.examples;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option of every command (a picocli mixin): {@link ErrorHandler} looks for it
 * among the arguments to print stack traces; declaring it here lets picocli accept it in any position.
 */
public final class Verbose {
    @Option(names = ErrorHandler.VERBOSE, description = "print stack traces of errors")
    boolean verbose;
}
