package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.Trainer;

/**
 * {@code pretrain --spark local[2]}: a real Spark barrier stage of two replicas, each with half of
 * every global batch and SyncBatchNorm, trains the run a local {@code pretrain} of the same options
 * trains (same parameters within float32 rounding), and writes the same files; the options it cannot
 * take are usage errors before any data is read.
 */
class SparkPretrainTest {
    /** 3 classes x 10 tiny images: 24 training images after the 20% hold-out, 3 steps of 8 per epoch. */
    private static List<String> options(Path data, Path out) {
        return List.of("--data", data.toString(), "--method", "simclr", "--batch-size", "8",
                "--width", "4", "--projector-dim", "16", "--curve-size", "8", "--seed", "3", "--out", out.toString());
    }

    private static int pretrain(List<String> options, String... more) {
        String[] args = new String[options.size() + more.length];
        for (int i = 0; i < options.size(); i++) {
            args[i] = options.get(i);
        }
        System.arraycopy(more, 0, args, options.size(), more.length);
        return ErrorHandler.execute(new PretrainExample(), args);
    }

    private static Checkpoint newest(Path run) throws Exception {
        return new CheckpointStore(run.resolve("checkpoints"), 3).loadLatest().orElseThrow();
    }

    @Test
    void local2_trainsWhatALocalRunTrains_andWritesTheRunFiles(@TempDir Path tmp) throws Exception {
        Path data = TinyImages.write(tmp.resolve("data"), 3, 10, 16, 11);
        Path local = tmp.resolve("local");
        Path spark = tmp.resolve("spark");
        assertEquals(0, pretrain(options(data, local), "--epochs", "1"), "the local run");
        assertEquals(0, pretrain(options(data, spark), "--epochs", "1", "--spark", "local[2]"), "the Spark run");

        Map<String, Object> r = ResultsFile.read(spark.resolve(RunFolder.RESULTS_FILE));
        assertEquals(3L, ((Number) r.get("steps")).longValue(), "24 images in batches of 8, one epoch");
        assertTrue(Files.isRegularFile(Path.of((String) r.get("encoder_file"))), "the encoder file is written");
        assertTrue(r.get("knn_top1") instanceof Number, "the frozen probes ran on the trained backbone");
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) r.get("spark");
        assertEquals(2, ((Number) s.get("workers")).intValue());
        assertTrue(((Number) s.get("exchanges")).longValue() > 0, "the workers exchanged");
        List<String> csv = Files.readAllLines(spark.resolve(StepMetricsCsv.FILE_NAME));
        assertEquals(1 + 3, csv.size(), "metrics.csv: a header and one row per step, written by rank 0");

        Checkpoint a = newest(local);
        Checkpoint b = newest(spark);
        assertEquals(a.arrays().keySet(), b.arrays().keySet(), "the same state: parameters, buffers, moments");
        assertEquals(a.metadata().get("method"), b.metadata().get("method"));
        Difference d = Difference.of(a, b);
        System.out.println("SparkPretrainTest: worst relative difference " + d.worst() + " at " + d.where());
        // measured 4e-5 (an Adam moment of 1e-5): SyncBatchNorm's double-precision statistics and the
        // gradients summed per worker round differently from one float32 pass over the batch
        assertTrue(d.worst() < 2e-4, "local[2] equals the local run within float32 rounding, worst " + d.where());
    }

    @Test
    void killedSparkRun_resume_reachesTheUninterruptedSparkRun(@TempDir Path tmp) throws Exception {
        Path data = TinyImages.write(tmp.resolve("data"), 3, 10, 16, 12);
        Path whole = tmp.resolve("whole");
        Path killed = tmp.resolve("killed");
        String[] more = {"--epochs", "2", "--checkpoint-every", "1", "--spark", "local[2]"};
        assertEquals(0, pretrain(options(data, whole), more));
        List<String> child = new ArrayList<>(options(data, killed));
        child.addAll(List.of(more));
        Map<String, Object> runJson = KilledRun.killAfterCheckpoint(PretrainExample.class, killed,
                tmp.resolve("child.log"), 2, 6, child.toArray(String[]::new));
        String[] resume = {"--epochs", "2", "--checkpoint-every", "1", "--spark", "local[2]", "--resume"};
        assertEquals(0, pretrain(options(data, killed), resume));
        Map<String, Object> r = ResultsFile.read(killed.resolve(RunFolder.RESULTS_FILE));
        assertTrue(((Number) r.get("resumed_from_step")).longValue() >= 2, "resumed, not restarted");
        // The same two replicas on the same shards: the resumed run is the uninterrupted one up to the
        // rounding of native ops that two workers in one JVM run concurrently. Bit for bit held in the
        // first runs, but CI runs parted (a weight in its 8th digit, an Adam moment by 3.8e-5 relative),
        // the drift seen in same-seed runs under load; so the bound is the float32 one of the test
        // above. ssl-spark's threaded and Spark tests, in float64, stay bit for bit.
        assertEquals(runJson.get("run_id"), newest(killed).metadata().get(CheckpointMetadata.RUN_ID));
        assertEquals(newest(whole).metadata().get(Trainer.META_STEP), newest(killed).metadata().get(Trainer.META_STEP));
        Difference d = Difference.of(newest(whole), newest(killed));
        assertTrue(d.worst() < 2e-4, "the resumed Spark run parts from the uninterrupted one at " + d.where());
        assertEquals(1 + 6, Files.readAllLines(killed.resolve(StepMetricsCsv.FILE_NAME)).size(),
                "metrics.csv holds each of the 6 steps once");
    }

    /** The largest relative difference between two checkpoints' arrays (1e-3 added to the scale). */
    private record Difference(double worst, String where) {
        static Difference of(Checkpoint a, Checkpoint b) {
            assertEquals(a.arrays().keySet(), b.arrays().keySet());
            double worst = 0;
            String where = null;
            for (String k : a.arrays().keySet()) {
                double[] x = a.array(k).castTo(DataType.DOUBLE).dup('c').data().asDouble();
                double[] y = b.array(k).castTo(DataType.DOUBLE).dup('c').data().asDouble();
                for (int i = 0; i < x.length; i++) {
                    double err = Math.abs(x[i] - y[i]) / (1e-3 + Math.abs(x[i]));
                    if (err > worst) {
                        worst = err;
                        where = k + "[" + i + "]: " + x[i] + " vs " + y[i];
                    }
                }
            }
            return new Difference(worst, where);
        }
    }

    @Test
    void aBatchThatDoesNotSplitOverTheWorkers_isAUsageErrorNamingBoth(@TempDir Path tmp) {
        int code = ErrorHandler.execute(new PretrainExample(), "--spark", "local[2]", "--batch-size", "9",
                "--out", tmp.resolve("run").toString());
        assertEquals(ErrorHandler.USAGE, code);
        assertEquals(ErrorHandler.USAGE, ErrorHandler.execute(new PretrainExample(), "--spark", "spark://host:7077",
                "--out", tmp.resolve("run2").toString()), "a cluster master needs --spark-workers");
        assertEquals(ErrorHandler.USAGE, ErrorHandler.execute(new PretrainExample(), "--spark", "local[2]",
                "--method", "byol", "--out", tmp.resolve("run3").toString()), "BYOL's momentum encoder takes no SyncBatchNorm");
        assertTrue(!Files.exists(tmp.resolve("run")), "refused before the run folder is made");
    }
}
