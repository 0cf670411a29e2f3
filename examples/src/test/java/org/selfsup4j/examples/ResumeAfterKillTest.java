package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.core.kernel.ConvAlgorithm;

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
        killResumeAndCompare(tmp);
    }

    /** Every 3x3 layer on the Winograd path (the tiny widths are below auto's range), in this JVM and the child. */
    @Test
    void onTheWinogradPath_killedMidEpoch_resume_matchesUninterruptedRunBitForBit(@TempDir Path tmp) throws Exception {
        String before = ConvAlgorithm.get();
        String property = System.getProperty(ConvAlgorithm.PROPERTY);
        try {
            ConvAlgorithm.set(ConvAlgorithm.WINOGRAD);
            System.setProperty(ConvAlgorithm.PROPERTY, ConvAlgorithm.WINOGRAD);
            killResumeAndCompare(tmp);
        } finally {
            ConvAlgorithm.set(before);
            if (property == null) {
                System.clearProperty(ConvAlgorithm.PROPERTY);
            } else {
                System.setProperty(ConvAlgorithm.PROPERTY, property);
            }
        }
    }

    private static void killResumeAndCompare(Path tmp) throws Exception {
        Path data = TinyImages.write(tmp.resolve("train"), 10, 8, 16, 1);
        Path eval = TinyImages.write(tmp.resolve("eval"), 10, 3, 16, 2);

        Path whole = tmp.resolve("whole");
        assertEquals(0, ErrorHandler.execute(new PretrainExample(), args(data, eval, whole)));

        Path killed = tmp.resolve("killed");
        Path log = tmp.resolve("child.log");
        Map<String, Object> runJson = KilledRun.killAfterCheckpoint(PretrainExample.class, killed, log,
                KILL_AFTER_STEP, TOTAL_STEPS, args(data, eval, killed));

        // a new run into the killed run's folder is refused; --resume continues it
        assertEquals(ErrorHandler.USAGE, ErrorHandler.execute(new PretrainExample(), args(data, eval, killed)));
        assertEquals(0, ErrorHandler.execute(new PretrainExample(), args(data, eval, killed, "--resume")));

        Map<String, Object> results = ResultsFile.read(killed.resolve(RunFolder.RESULTS_FILE));
        assertEquals(TOTAL_STEPS, ((Number) results.get("steps")).intValue());
        assertTrue(((Number) results.get("resumed_from_step")).longValue() >= KILL_AFTER_STEP);
        assertEquals(runJson.get("run_id"), results.get("run_id"), "the resumed run keeps its run id");

        KilledRun.assertSameFinalCheckpoints(whole, killed, runJson.get("run_id"));
        KilledRun.assertSameStepMetrics(whole, killed, TOTAL_STEPS);
    }
}
