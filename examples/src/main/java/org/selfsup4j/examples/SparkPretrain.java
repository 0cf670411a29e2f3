package org.selfsup4j.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.spark.CommunicationStats;
import org.selfsup4j.spark.DataParallelConfig;
import org.selfsup4j.spark.DataParallelRun;
import org.selfsup4j.spark.ImageShardSource;
import org.selfsup4j.spark.SparkDataParallel;
import org.selfsup4j.spark.WorkerResult;

/**
 * {@code pretrain --spark}: the training loop of {@link PretrainExample} replaced by ssl-spark's
 * synchronous data-parallel training ({@link SparkDataParallel} over an {@link ImageShardSource}), the
 * rest of the run (folder, checkpoints, {@code --resume}, metrics.csv, evaluation, encoder file,
 * results.json, summary) unchanged.
 *
 * <p>The workers write the run's checkpoints (rank 0, with the local run's metadata) and metrics.csv
 * into the run folder, so that folder must be one every executor can write (local mode: it is); the
 * driver then restores the newest checkpoint into its own trainer and evaluates and exports as a local
 * run does. Only called after {@link SparkOptions#validate} found Spark on the classpath.
 */
final class SparkPretrain {
    private static final String SPARK_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.spark";

    private SparkPretrain() {
    }

    /**
     * Trains {@code trainer}'s model on Spark up to {@code totalSteps} and restores the result into it.
     *
     * @param options the --spark options
     * @param executorArgs the command line the executors rebuild the run from ({@link SparkReplica#argsOf})
     * @param d the driver's data (its global batch and steps per epoch)
     * @param trainer the driver's trainer (restored from a checkpoint on --resume), receives the final state
     * @param config the run: seed, planned steps, checkpoint folder and interval, checkpoint metadata
     * @param folder the run folder (metrics.csv, the per-epoch losses)
     * @param results results.json's fields; gets a {@code spark} entry
     * @return what the training left, as the local loop reports it (no per-epoch kNN curve)
     */
    static PretrainExample.Run train(SparkOptions options, List<String> executorArgs, PretrainExample.Data d,
            Trainer trainer, DataParallelConfig config, RunFolder folder, Map<String, Object> results)
            throws IOException {
        // the data may hold fewer images than --batch-size: the batch actually used must split too
        options.requireDivides(d.batch());
        int workers = options.workerCount();
        long first = trainer.currentStep();
        SparkReplica replica = new SparkReplica(executorArgs, config.totalSteps());
        ImageShardSource source = new ImageShardSource(replica, config.seed(), d.batch());
        DataParallelConfig run = config.withMetricsCsv(folder.dir().resolve(StepMetricsCsv.FILE_NAME)
                .toAbsolutePath().toString()).withBarrierWake(options.wakeMillis);
        System.out.printf("Training on Spark %s: %d workers, %d images each per step of %d%n", options.master, workers,
                d.batch() / workers, d.batch());
        DataParallelRun done;
        JavaSparkContext sc = new JavaSparkContext(conf(options));
        try {
            sc.setLogLevel("WARN");
            done = SparkDataParallel.run(sc, workers, replica, source, first > 0 ? run.resuming() : run);
        } finally {
            sc.stop();
        }
        Checkpoint last = new CheckpointStore(folder.checkpoints(), Trainer.Config.DEFAULT_KEEP_LAST).loadLatest()
                .orElseThrow(() -> new IllegalStateException("SparkPretrain: the workers left no checkpoint in "
                        + folder.checkpoints()));
        trainer.restore(last);
        WorkerResult r0 = done.workers().get(0);
        results.put("spark", sparkFields(options, workers, r0));
        List<Double> epochLoss = epochLosses(done.losses(), first, d.stepsPerEpoch(), folder);
        folder.put("epoch_loss", epochLoss);
        folder.save();
        return new PretrainExample.Run(trainer.currentStep(), false, r0.trainNanos(), 0, epochLoss, List.of());
    }

    private static SparkConf conf(SparkOptions options) {
        // Spark logs every barrier sync at INFO; with the examples' SLF4J binding (slf4j-simple) its
        // per-logger level is a system property read when each logger is made, i.e. after this
        if (System.getProperty(SPARK_LOG_LEVEL) == null) {
            System.setProperty(SPARK_LOG_LEVEL, "warn");
        }
        SparkConf conf = new SparkConf().setAppName("selfsup4j pretrain").setMaster(options.master);
        if (options.local()) {
            // one JVM: stay on the loopback, and no UI port to collide with another run
            conf.set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /** The epochs' mean losses: the run's recorded epochs before {@code first}, then this run's steps by epoch. */
    private static List<Double> epochLosses(double[] losses, long first, long stepsPerEpoch, RunFolder folder) {
        long firstEpoch = first / stepsPerEpoch;
        List<Double> out = new ArrayList<>(PretrainExample.head(folder.get("epoch_loss"), firstEpoch));
        double sum = 0;
        int count = 0;
        for (int i = 0; i < losses.length; i++) {
            long step = first + i;
            if (Double.isFinite(losses[i])) {
                sum += losses[i];
                count++;
            }
            if ((step + 1) % stepsPerEpoch == 0 || i == losses.length - 1) {
                out.add(count > 0 ? sum / count : Double.NaN);
                sum = 0;
                count = 0;
            }
        }
        return out;
    }

    private static Map<String, Object> sparkFields(SparkOptions options, int workers, WorkerResult r0) {
        CommunicationStats c = r0.communication();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("master", options.master);
        m.put("workers", workers);
        m.put("norm", "SyncBatchNorm (global-batch statistics)");
        m.put("barrier_wake_ms", options.wakeMillis);
        m.put("train_seconds", Math.round(r0.trainNanos() / 1e8) / 10.0);
        m.put("communication_fraction", r0.trainNanos() > 0 ? Math.round(c.nanos() * 1e4 / r0.trainNanos()) / 1e4 : 0.0);
        m.put("exchanges", c.exchanges());
        m.put("bytes_sent_per_worker", c.bytesSent());
        m.put("bytes_received_per_worker", c.bytesReceived());
        return m;
    }
}
