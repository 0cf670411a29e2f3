package org.selfsup4j.examples.cli;

import java.util.concurrent.Callable;
import org.selfsup4j.examples.Verbose;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What the encoder tools ({@code embed}, {@code evaluate}, {@code export}, {@code inspect}) have in
 * common: {@code --help}, {@code --version} and {@code --verbose} (picocli reads the annotations of
 * superclasses, so each tool declares only its own options).
 */
@Command(mixinStandardHelpOptions = true)
abstract class ToolCommand implements Callable<Integer> {
    @Mixin
    Verbose verbose;
}
