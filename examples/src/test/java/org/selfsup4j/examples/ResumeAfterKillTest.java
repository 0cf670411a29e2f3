package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;

/**
 * A run killed with SIGKILL mid-epoch and resumed with {@code --resume} ends with the parameters,
 * buffers and optimizer state of an uninterrupted run, bit for bit. The killed run is a child JVM
 * (checkpoints every step, killed after its 13th: step 13 of 30, the middle of epoch 2); the
 * uninterrupted and the resumed runs run in this JVM.
 */
class ResumeAfterKillTest {
    private static final int TOTAL_STEPS = 30;
    private static final long KILL_AFTER_STEP = 13;

    private static String[] args(Path data, Path eval, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--data", data.toString(), "--eval-data", eval.toString(),
                "--epochs", "3", "--batch-size", "8", "--width", "4", "--curve-size", "40", "--seed", "7",
                "--checkpoint-every", "1", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void killedMidEpoch_resume_matchesUninterruptedRunBitForBit(@TempDir Path tmp) throws Exception {
        Path data = TinyImages.write(tmp.resolve("train"), 10, 8, 16, 1);
        Path eval = TinyImages.write(tmp.resolve("eval"), 10, 3, 16, 2);

        Path whole = tmp.resolve("whole");
        assertEquals(0, ErrorHandler.execute(new PretrainExample(), args(data, eval, whole)));

        Path killed = tmp.resolve("killed");
        Path log = tmp.resolve("child.log");
        Process child = ChildProcess.start(PretrainExample.class, log, args(data, eval, killed));
        CheckpointStore store = new CheckpointStore(killed.resolve(RunFolder.CHECKPOINTS), 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long newest = -1;
        while (child.isAlive() && System.nanoTime() < deadline) {
            newest = newestStep(store);
            if (newest >= KILL_AFTER_STEP) {
                break;
            }
            Thread.sleep(2);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(newest >= KILL_AFTER_STEP, "the child must reach step " + KILL_AFTER_STEP + " before the kill; log:\n"
                + Files.readString(log));
        long atKill = newestStep(store);
        assertTrue(atKill < TOTAL_STEPS, "the child must be killed before it finished, newest step " + atKill);
        assertFalse(Files.exists(killed.resolve(RunFolder.RESULTS_FILE)), "a killed run has no results.json");
        Map<String, Object> runJson = ResultsFile.read(killed.resolve(RunFolder.RUN_FILE));
        assertEquals(RunFolder.RUNNING, runJson.get("status"), "run.json identifies the killed run");

        // a new run into the killed run's folder is refused; --resume continues it
        assertEquals(ErrorHandler.USAGE, ErrorHandler.execute(new PretrainExample(), args(data, eval, killed)));
        assertEquals(0, ErrorHandler.execute(new PretrainExample(), args(data, eval, killed, "--resume")));

        Map<String, Object> results = ResultsFile.read(killed.resolve(RunFolder.RESULTS_FILE));
        assertEquals(TOTAL_STEPS, ((Number) results.get("steps")).intValue());
        assertTrue(((Number) results.get("resumed_from_step")).longValue() >= KILL_AFTER_STEP);
        assertEquals(runJson.get("run_id"), results.get("run_id"), "the resumed run keeps its run id");

        Checkpoint a = finalCheckpoint(whole);
        Checkpoint b = finalCheckpoint(killed);
        assertEquals(runJson.get("run_id"), b.metadata().get(CheckpointMetadata.RUN_ID));
        assertEquals(a.arrays().keySet(), b.arrays().keySet());
        for (String k : a.arrays().keySet()) {
            assertArrayEquals(bits(a.arrays().get(k)), bits(b.arrays().get(k)), k + " differs after resume");
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
