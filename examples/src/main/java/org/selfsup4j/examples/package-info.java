/**
 * Runnable examples: self-supervised pretraining on images with kNN / linear-probe evaluation
 * ({@link org.selfsup4j.examples.PretrainExample}, {@code selfsup4j pretrain} and the {@code ./pretrain} script), and the
 * {@code results.json} writer the examples share ({@link org.selfsup4j.examples.ResultsFile}). The
 * one program that runs them, {@code selfsup4j}, is in {@code org.selfsup4j.examples.cli}.
 * Command-line glue only: the methods, schedules and probes are library code.
 */
package org.selfsup4j.examples;
