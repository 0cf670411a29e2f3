package org.selfsup4j.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * Settings of a data-parallel run, serializable so that they travel to the executors with the task
 * ({@link org.selfsup4j.core.train.Trainer.Config} holds a {@code Path}, which does not).
 *
 * @param seed fixes the run (every replica uses it: same schedules, same per-step randomness)
 * @param totalSteps the planned run length (schedules read it)
 * @param stopAtStep train until the trainer's step reaches this (≤ totalSteps): a run can stop early
 *                   and be resumed from its checkpoint
 * @param checkpointDir folder for checkpoints, readable by every worker (a shared file system);
 *                      null for none. Rank 0 writes them; every rank reads the newest on resume
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param resume start from the newest checkpoint in {@code checkpointDir}, if there is one
 * @param barrierWakeMillis 0 to leave Spark's barrier polling alone (about 1 s per exchange); above 0,
 *                          {@link BarrierCollective} wakes the waiting task this often ({@link BarrierCollective})
 * @param metadata written into every checkpoint (the trainer's {@code withMetadata}: a run id, the
 *                 encoder recipe), so that a data-parallel run's checkpoints are those of a local run
 * @param metricsCsv where rank 0 writes the per-step {@code metrics.csv}
 *                   ({@link org.selfsup4j.core.train.StepMetricsCsv}), on a folder it can write; null for none
 */
public record DataParallelConfig(long seed, long totalSteps, long stopAtStep, String checkpointDir, long checkpointEvery,
                                 boolean resume, long barrierWakeMillis, Map<String, String> metadata,
                                 String metricsCsv) implements Serializable {
    private static final long serialVersionUID = 1L;

    public DataParallelConfig {
        if (totalSteps < 1 || stopAtStep < 0 || stopAtStep > totalSteps || checkpointEvery < 0 || barrierWakeMillis < 0) {
            throw new IllegalArgumentException("DataParallelConfig: expected totalSteps >= 1, 0 <= stopAtStep <= totalSteps,"
                    + " checkpointEvery >= 0 and barrierWakeMillis >= 0, got " + totalSteps + ", " + stopAtStep + ", "
                    + checkpointEvery + ", " + barrierWakeMillis);
        }
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("DataParallelConfig: resume needs a checkpointDir, got none");
        }
        if (metadata == null) {
            throw new IllegalArgumentException("DataParallelConfig: expected a metadata map (empty for none), got null");
        }
        // a copy that is serializable whatever map came (Map.copyOf's is)
        metadata = Map.copyOf(metadata);
    }

    /** {@code totalSteps} steps, no checkpoints. */
    public static DataParallelConfig of(long seed, long totalSteps) {
        return new DataParallelConfig(seed, totalSteps, totalSteps, null, 0, false, 0, Map.of(), null);
    }

    /** The same run with checkpoints in {@code dir} every {@code every} steps. */
    public DataParallelConfig withCheckpoints(String dir, long every) {
        return new DataParallelConfig(seed, totalSteps, stopAtStep, dir, every, resume, barrierWakeMillis, metadata,
                metricsCsv);
    }

    /** The same run stopping when the step reaches {@code step}. */
    public DataParallelConfig stoppingAt(long step) {
        return new DataParallelConfig(seed, totalSteps, step, checkpointDir, checkpointEvery, resume, barrierWakeMillis,
                metadata, metricsCsv);
    }

    /** The same run resuming from the newest checkpoint of its folder. */
    public DataParallelConfig resuming() {
        return new DataParallelConfig(seed, totalSteps, stopAtStep, checkpointDir, checkpointEvery, true,
                barrierWakeMillis, metadata, metricsCsv);
    }

    /** The same run with the barrier tasks woken every {@code millis} ms while they wait in an exchange. */
    public DataParallelConfig withBarrierWake(long millis) {
        return new DataParallelConfig(seed, totalSteps, stopAtStep, checkpointDir, checkpointEvery, resume, millis,
                metadata, metricsCsv);
    }

    /** The same run with {@code meta} in every checkpoint. */
    public DataParallelConfig withMetadata(Map<String, String> meta) {
        return new DataParallelConfig(seed, totalSteps, stopAtStep, checkpointDir, checkpointEvery, resume,
                barrierWakeMillis, meta, metricsCsv);
    }

    /** The same run with rank 0 writing the per-step metrics to {@code file}. */
    public DataParallelConfig withMetricsCsv(String file) {
        return new DataParallelConfig(seed, totalSteps, stopAtStep, checkpointDir, checkpointEvery, resume,
                barrierWakeMillis, metadata, file);
    }
}
