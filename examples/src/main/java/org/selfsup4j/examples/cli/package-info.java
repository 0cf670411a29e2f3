/**
 * The {@code selfsup4j} command-line program ({@link org.selfsup4j.examples.cli.Selfsup4j}, the
 * examples jar's main class): the pretraining commands of the examples as subcommands
 * ({@code pretrain}, {@code pretrain-speech}) and the tools for the files they write:
 * {@code embed} (a folder to CSV or {@code .npy}), {@code evaluate} (kNN and linear probe of an
 * encoder file), {@code export} (a checkpoint to an encoder file) and {@code inspect} (a file's
 * header). Command-line glue only: the encoders, exporters and probes are library code; errors follow
 * {@link org.selfsup4j.examples.ErrorHandler}. Everything but the program itself is package-private.
 */
package org.selfsup4j.examples.cli;
