package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.examples.speech.SpeechPretrainExample;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.SampleEncoding;
import org.selfsup4j.speech.io.WavWriter;

/**
 * A speech run planned in steps ({@code --minutes 0}), killed with SIGKILL mid-run and resumed with
 * {@code --resume}, ends with the parameters and optimizer state of an uninterrupted run, bit for bit:
 * the resumed run continues the step-based learning-rate schedule and the crops, masks and noise at the
 * checkpoint's step. The killed run is a child JVM (checkpoints every step, killed after its 5th of 12);
 * the uninterrupted and the resumed runs run in this JVM. HuBERT (k-means targets refitted by the resumed
 * process) and wav2vec 2.0 (Gumbel temperature and noise by step). The data are generated FSDD-named WAV files
 * (two "digits", test takes 0-1, held-out takes 5-6, train takes 10-13), so the test needs no dataset.
 */
class SpeechResumeAfterKillTest {
    private static final int TOTAL_STEPS = 12;
    private static final long KILL_AFTER_STEP = 5;

    private static String[] args(String method, Path data, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--method", method, "--data", data.toString(), "--minutes", "0",
                "--steps", Integer.toString(TOTAL_STEPS), "--batch", "2", "--samples", "1600", "--clusters", "4",
                "--lr", "1e-3", "--seed", "3", "--eval-max-samples", "1600", "--checkpoint-every", "1",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Tones with noise, one pitch per digit, named as FSDD names its recordings. */
    private static Path recordings(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(11);
        WavWriter writer = new WavWriter(SampleEncoding.PCM_S16);
        for (int digit = 0; digit < 2; digit++) {
            for (int take : new int[] {0, 1, 5, 6, 10, 11, 12, 13}) {
                float[] x = new float[1200 + rng.nextInt(1200)];
                double hz = 300 + 400 * digit + rng.nextInt(50);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / 8000) + 0.05 * (rng.nextDouble() - 0.5));
                }
                writer.write(dir.resolve(digit + "_tone_" + take + ".wav"), Audio.mono(x, 8000));
            }
        }
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hubert", "wav2vec2"})
    void plannedInSteps_killedMidRun_resume_matchesUninterruptedRunBitForBit(String method, @TempDir Path tmp)
            throws Exception {
        Path data = recordings(tmp.resolve("recordings"));

        Path whole = tmp.resolve("whole");
        assertEquals(0, ErrorHandler.execute(new SpeechPretrainExample(), args(method, data, whole)));

        Path killed = tmp.resolve("killed");
        Path log = tmp.resolve("child.log");
        Map<String, Object> runJson = KilledRun.killAfterCheckpoint(SpeechPretrainExample.class, killed, log,
                KILL_AFTER_STEP, TOTAL_STEPS, args(method, data, killed));

        // a new run into the killed run's folder is refused; --resume continues it
        assertEquals(ErrorHandler.USAGE,
                ErrorHandler.execute(new SpeechPretrainExample(), args(method, data, killed)));
        assertEquals(0, ErrorHandler.execute(new SpeechPretrainExample(), args(method, data, killed, "--resume")));

        Map<String, Object> results = ResultsFile.read(killed.resolve(RunFolder.RESULTS_FILE));
        assertEquals(TOTAL_STEPS, ((Number) results.get("steps")).intValue());
        assertEquals(runJson.get("run_id"), results.get("run_id"), "the resumed run keeps its run id");

        Checkpoint a = KilledRun.assertSameFinalCheckpoints(whole, killed, runJson.get("run_id"));
        KilledRun.assertSameStepMetrics(whole, killed, TOTAL_STEPS);
        String header = Files.readAllLines(killed.resolve(StepMetricsCsv.FILE_NAME)).get(0);
        assertTrue(!method.equals("wav2vec2") || header.contains(",code_perplexity"), header);
        assertEquals(Long.toString(TOTAL_STEPS), a.metadata().get(Trainer.META_STEP));
    }
}
