package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.Trainer;

/** The kill and the comparison the resume tests of both commands share. */
final class KilledRun {
    private KilledRun() {
    }

    /**
     * Runs a command in a child JVM, SIGKILLs it once a checkpoint of step {@code killAfter} or later
     * exists, and checks that what it left is an unfinished run: no results.json, run.json "running".
     *
     * @return the killed run's run.json
     */
    static Map<String, Object> killAfterCheckpoint(Class<?> mainClass, Path out, Path log, long killAfter,
            long totalSteps, String... args) throws Exception {
        Process child = ChildProcess.start(mainClass, log, args);
        CheckpointStore store = new CheckpointStore(out.resolve(RunFolder.CHECKPOINTS), 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long newest = -1;
        while (child.isAlive() && System.nanoTime() < deadline) {
            newest = newestStep(store);
            if (newest >= killAfter) {
                break;
            }
            Thread.sleep(2);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(newest >= killAfter, "the child must reach step " + killAfter + " before the kill; log:\n"
                + Files.readString(log));
        long atKill = newestStep(store);
        assertTrue(atKill < totalSteps, "the child must be killed before it finished, newest step " + atKill);
        assertFalse(Files.exists(out.resolve(RunFolder.RESULTS_FILE)), "a killed run has no results.json");
        Map<String, Object> runJson = ResultsFile.read(out.resolve(RunFolder.RUN_FILE));
        assertEquals(RunFolder.RUNNING, runJson.get("status"), "run.json identifies the killed run");
        return runJson;
    }

    /**
     * The newest checkpoints of two runs hold the same arrays, bit for bit; the second carries the run id.
     *
     * @return the first run's final checkpoint
     */
    static Checkpoint assertSameFinalCheckpoints(Path whole, Path resumed, Object runId) throws Exception {
        Checkpoint a = finalCheckpoint(whole);
        Checkpoint b = finalCheckpoint(resumed);
        assertEquals(runId, b.metadata().get(CheckpointMetadata.RUN_ID));
        assertEquals(a.metadata().get(Trainer.META_STEP),
                b.metadata().get(Trainer.META_STEP), "final steps");
        assertEquals(a.arrays().keySet(), b.arrays().keySet());
        for (String k : a.arrays().keySet()) {
            assertArrayEquals(bits(a.arrays().get(k)), bits(b.arrays().get(k)), k + " differs after resume");
        }
        return a;
    }

    /**
     * The resumed run's metrics.csv holds every step once, with the figures of the uninterrupted run
     * (all but the clock's columns: throughput and data wait).
     */
    static void assertSameStepMetrics(Path whole, Path resumed, long totalSteps) throws Exception {
        List<String> a = Files.readAllLines(whole.resolve(StepMetricsCsv.FILE_NAME));
        List<String> b = Files.readAllLines(resumed.resolve(StepMetricsCsv.FILE_NAME));
        assertEquals(a.get(0), b.get(0), "header");
        assertEquals(totalSteps + 1, b.size(), "one row per step in the resumed run's metrics.csv");
        List<String> header = List.of(a.get(0).split(","));
        for (int row = 1; row < a.size(); row++) {
            String[] x = a.get(row).split(",", -1);
            String[] y = b.get(row).split(",", -1);
            assertEquals(Long.toString(row - 1), y[0], "step of row " + row);
            for (int c = 0; c < header.size(); c++) {
                if (!header.get(c).equals("steps_per_second") && !header.get(c).equals("data_wait_ms")) {
                    assertEquals(x[c], y[c], header.get(c) + " at step " + (row - 1));
                }
            }
        }
    }

    private static long newestStep(CheckpointStore store) {
        return store.latest().map(p -> Long.parseLong(CheckpointStore.FILE_NAME.matcher(p.getFileName().toString())
                .replaceAll("$1"))).orElse(-1L);
    }

    private static Checkpoint finalCheckpoint(Path out) throws Exception {
        return new CheckpointStore(out.resolve(RunFolder.CHECKPOINTS), 1).loadLatest().orElseThrow();
    }

    private static double[] bits(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup().data().asDouble();
    }
}
