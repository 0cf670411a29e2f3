package org.selfsup4j.examples;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The {@code pretrain} options of data-parallel training on Spark ({@code --spark}), and their checks
 * before any data is read. This class names no Spark type, so that the checks, the one-sentence
 * "Spark is missing" error included, run without Spark on the classpath; {@link SparkPretrain} does
 * the training.
 *
 * <p>With {@code --spark} every batch norm of the trained network is ssl-spark's {@code SyncBatchNorm}
 * (statistics of the global batch): there is no switch, because per-worker batch norm makes the
 * replicas diverge and the run is refused at its end by the replicas' state check.
 */
public final class SparkOptions {
    /** The methods whose assemblies take a synchronised batch norm (no momentum encoder, no decoder). */
    static final List<String> METHODS = List.of("simclr", "vicreg", "barlow-twins");
    /** The barrier wake-up interval used unless --barrier-wake-ms says otherwise. */
    static final long DEFAULT_WAKE_MILLIS = 2;
    /** {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code local[*,F]}. */
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");
    private static final String SPARK_CLASS = "org.apache.spark.api.java.JavaSparkContext";

    @Option(names = "--spark", paramLabel = "MASTER", description = "train data-parallel on Spark: local[N] (N "
            + "workers in this JVM) or a master URL (spark://host:7077, yarn, k8s://...) with --spark-workers; the "
            + "global batch is --batch-size, split over the workers; --data must be readable by every executor. "
            + "Needs Spark on the classpath (spark-submit, or ./selfsup4j for local mode)")
    String master;

    @Option(names = "--spark-workers", description = "replicas (barrier tasks, one free task slot each) when the "
            + "--spark master does not say; for local[N] it must be N")
    Integer workers;

    @Option(names = "--barrier-wake-ms", description = "with --spark: wake the barrier tasks this often while they "
            + "wait in an exchange, instead of Spark's 1 s poll (0: Spark's poll) (default ${DEFAULT-VALUE})")
    long wakeMillis = DEFAULT_WAKE_MILLIS;

    /** Whether the run trains on Spark. */
    boolean enabled() {
        return master != null;
    }

    /**
     * The number of workers: local[N]'s N (local[*]: this machine's cores), else --spark-workers.
     *
     * @throws UserError when neither says, or both disagree
     */
    int workerCount() {
        Matcher m = LOCAL.matcher(master);
        Integer fromMaster = null;
        if (m.matches()) {
            fromMaster = m.group(1) == null ? 1 : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(m.group(1));
        }
        if (fromMaster == null && workers == null) {
            throw UserError.usage("--spark " + master + ": give the number of workers with --spark-workers (a "
                    + "cluster master does not say it)");
        }
        if (fromMaster != null && workers != null && !fromMaster.equals(workers)) {
            throw UserError.usage("--spark-workers " + workers + " does not match --spark " + master + ", which runs "
                    + fromMaster + "; drop --spark-workers or make them agree");
        }
        int w = fromMaster != null ? fromMaster : workers;
        if (w < 1) {
            throw UserError.usage("--spark " + master + ": expected at least one worker, got " + w);
        }
        return w;
    }

    /** Whether {@link #master} runs in this JVM (local mode). */
    boolean local() {
        return LOCAL.matcher(master).matches();
    }

    /**
     * Checks the options against the rest of the command line, before any data is read.
     *
     * @param method the resolved method
     * @param backbone the --backbone name
     * @param batch the global batch size asked for
     * @param minutes the --minutes budget
     * @param reevaluate whether the run only re-evaluates
     * @throws UserError naming the option, what it needs and what came
     */
    void validate(String method, String backbone, int batch, double minutes, boolean reevaluate) {
        if (!enabled()) {
            if (workers != null) {
                throw UserError.usage("--spark-workers needs --spark (got --spark-workers " + workers + " alone)");
            }
            return;
        }
        if (wakeMillis < 0) {
            throw UserError.usage("--barrier-wake-ms: expected 0 (Spark's poll) or more milliseconds, got " + wakeMillis);
        }
        if (!METHODS.contains(method)) {
            throw UserError.usage("--spark trains " + METHODS + " (their networks take a synchronised batch norm), "
                    + "got --method " + method);
        }
        if (!"convnet".equalsIgnoreCase(backbone)) {
            throw UserError.usage("--spark trains the convnet backbone (ResNet-18's blocks fuse ReLU into the "
                    + "library's BatchNorm, so they take no synchronised one), got --backbone " + backbone);
        }
        if (minutes > 0) {
            throw UserError.usage("--spark plans its steps from --epochs; --minutes (a time budget) is for local runs, "
                    + "got --minutes " + minutes);
        }
        if (reevaluate) {
            throw UserError.usage("--reevaluate runs locally; drop --spark " + master);
        }
        requireDivides(batch);
        try {
            Class.forName(SPARK_CLASS, false, SparkOptions.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw UserError.usage("--spark needs Spark on the classpath: run with spark-submit, or ./selfsup4j (which "
                    + "adds Spark from the Maven cache for local mode)");
        }
    }

    /**
     * @param batch the global batch
     * @throws UserError when it does not split evenly over the workers
     */
    void requireDivides(int batch) {
        int w = workerCount();
        if (batch % w != 0) {
            throw UserError.usage("--batch-size " + batch + " does not split over the " + w + " workers of --spark "
                    + master + ": give a multiple of " + w);
        }
    }
}
