/**
 * Runnable examples: self-supervised pretraining on images with kNN / linear-probe evaluation
 * ({@link org.selfsup4j.examples.PretrainExample}, the {@code ./pretrain} program), and the
 * {@code results.json} writer the examples share ({@link org.selfsup4j.examples.ResultsFile}).
 * Command-line glue only: the methods, schedules and probes are library code.
 */
package org.selfsup4j.examples;
