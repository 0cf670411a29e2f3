/**
 * selfsup4j on Apache Spark: synchronous data-parallel pretraining, one model replica per task of
 * a barrier stage, with results equal to single-process training on the global batch.
 *
 * <ul>
 *   <li>{@link org.selfsup4j.spark.SparkDataParallel} — the driver: a barrier stage of W tasks, the
 *       workers' reports collected and checked for identical replicas;</li>
 *   <li>{@link org.selfsup4j.spark.DataParallelWorker} — one worker: an unmodified
 *       {@link org.selfsup4j.core.train.Trainer} over a {@link org.selfsup4j.spark.DistributedEncoder}
 *       (own rows forward, embeddings all-gathered, own rows backward, gradients summed in rank order);</li>
 *   <li>{@link org.selfsup4j.spark.SyncBatchNorm} — batch norm with global-batch statistics;</li>
 *   <li>{@link org.selfsup4j.spark.Collective} — the one exchange, on
 *       {@code BarrierTaskContext.allGather} ({@link org.selfsup4j.spark.BarrierCollective}) or among
 *       threads ({@link org.selfsup4j.spark.ThreadCollective}, {@link org.selfsup4j.spark.ThreadDataParallel}).</li>
 * </ul>
 *
 * <p>Spark is a {@code provided} dependency: spark-submit supplies it. Nothing in the library depends
 * on this module; examples and benchmarks may.
 */
package org.selfsup4j.spark;
