package org.selfsup4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.examples.ErrorHandler;
import org.selfsup4j.examples.UserError;
import org.selfsup4j.speech.data.AudioFile;
import org.selfsup4j.speech.data.AudioFolderDataset;
import org.selfsup4j.speech.data.CropBatchSource;
import org.selfsup4j.speech.data.Fsdd;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.SampleEncoding;
import org.selfsup4j.speech.io.WavWriter;
import org.selfsup4j.speech.model.SpeechModelPreset;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import picocli.CommandLine;

/**
 * The speech command on a user's own audio: layouts, rates, splits, the held-out speaker, bad files,
 * the model presets and the audio views. No training: these pin the lists and settings a run uses.
 */
class SpeechOwnAudioTest {
    private static void tone(Path p, int rate, double seconds, double hz) throws IOException {
        Files.createDirectories(p.getParent());
        float[] x = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        new WavWriter(SampleEncoding.PCM_S16).write(p, Audio.mono(x, rate));
    }

    /** FSDD-named tones: digits 0-1, the given speakers, takes 0..takes-1. */
    private static Path fsddNamed(Path dir, List<String> speakers, int takes) throws IOException {
        for (int d = 0; d < 2; d++) {
            for (String s : speakers) {
                for (int t = 0; t < takes; t++) {
                    tone(dir.resolve(d + "_" + s + "_" + t + ".wav"), 8000, 0.2, 300 + 200 * d);
                }
            }
        }
        return dir;
    }

    /** The command with {@code args} parsed and validated ({@code --data}: an existing folder when not given). */
    private static SpeechPretrainExample parsed(String... args) {
        SpeechPretrainExample ex = new SpeechPretrainExample();
        new CommandLine(ex).parseArgs(args);
        if (!List.of(args).contains("--data")) {
            ex.data = Path.of(System.getProperty("java.io.tmpdir"));
        }
        ex.validate();
        return ex;
    }

    private static Set<String> speakers(AudioFolderDataset d) {
        Set<String> s = new HashSet<>();
        d.files().forEach(f -> s.add(f.group("speaker")));
        return s;
    }

    @Test
    void classFolders_atAnyRate_areLabelledByFolderAndResampledToTheModelRate(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("keywords");
        tone(data.resolve("yes/alice_1.wav"), 16000, 0.5, 440);
        tone(data.resolve("yes/bob_1.wav"), 44100, 0.5, 440);
        tone(data.resolve("no/alice_2.wav"), 8000, 0.25, 220);
        tone(data.resolve("no/bob_2.wav"), 16000, 0.25, 220);
        SpeechPretrainExample ex = parsed("--method", "hubert", "--data", data.toString(), "--speaker-pattern",
                "^(?<speaker>[a-z]+)_", "--speaker-fraction", "0.5");
        SpeechData.Plan plan = SpeechData.plan(ex.dataOptions());
        assertTrue(plan.labelled());
        assertEquals(List.of("no", "yes"), plan.probeTrain().labels());
        assertEquals("keywords", plan.name());
        // one speaker of two held out, whole
        assertEquals(1, speakers(plan.probeTest()).size());
        assertTrue(plan.split().startsWith("speaker"), plan.split());
        Set<String> overlap = speakers(plan.probeTrain());
        overlap.retainAll(speakers(plan.probeTest()));
        assertTrue(overlap.isEmpty(), "a speaker on both sides: " + overlap);
        SpeechData.Loaded d = SpeechData.load(plan, 8000);
        for (int i = 0; i < plan.probeTest().size(); i++) {
            String label = plan.probeTest().get(i).label();
            // 0.5 s and 0.25 s at 8 kHz, whatever the file's rate was
            assertEquals(label.equals("yes") ? 4000 : 2000, d.test().get(i).length, plan.probeTest().get(i).path()
                    .toString());
        }
    }

    @Test
    void classFoldersWithoutSpeakers_splitBySeededFilesPerClass_andSaySo(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("keywords");
        for (int i = 0; i < 10; i++) {
            tone(data.resolve("yes/take" + i + ".wav"), 8000, 0.2, 440);
            tone(data.resolve("no/take" + i + ".wav"), 8000, 0.2, 220);
        }
        SpeechData.Plan plan = SpeechData.plan(parsed("--method", "hubert", "--data", data.toString()).dataOptions());
        assertTrue(plan.split().startsWith("files") && plan.split().contains("no speakers known"), plan.split());
        assertEquals(16, plan.probeTrain().size());
        assertEquals(4, plan.probeTest().size());
        Set<String> testLabels = new HashSet<>();
        plan.probeTest().files().forEach(f -> testLabels.add(f.label()));
        assertEquals(Set.of("yes", "no"), testLabels, "a fifth of each class");
        SpeechData.Plan again = SpeechData.plan(parsed("--method", "hubert", "--data", data.toString()).dataOptions());
        assertEquals(plan.probeTest().files(), again.probeTest().files(), "seeded");
        SpeechData.Plan other = SpeechData.plan(parsed("--method", "hubert", "--data", data.toString(), "--seed", "9")
                .dataOptions());
        assertNotEquals(plan.probeTest().files(), other.probeTest().files(), "another seed, another split");
    }

    @Test
    void fsddDefault_keepsTheTakeSplitOfToday() throws IOException {
        Path fsdd = Path.of(System.getProperty("selfsup4j.datasets", "../../shared/datasets"), "fsdd");
        Assumptions.assumeTrue(Files.isDirectory(fsdd), "FSDD not at " + fsdd);
        SpeechData.Plan plan = SpeechData.plan(parsed("--method", "hubert", "--data", fsdd.toString()).dataOptions());
        AudioFolderDataset.Split today = Fsdd.load(fsdd).split(Fsdd.IS_TEST);
        assertEquals(today.train().files(), plan.probeTrain().files());
        assertEquals(today.test().files(), plan.probeTest().files());
        assertEquals(today.train().files(), plan.pretrain().files());
        assertEquals("take", plan.split());
        for (int i = 0; i < plan.heldOut().length; i++) {
            assertEquals(Integer.parseInt(plan.probeTrain().get(i).group("index")) < 10, plan.heldOut()[i]);
        }
    }

    @Test
    void holdoutSpeaker_isNeverPretrainedOrProbeTrainedOn_andIsTheWholeTestPart(@TempDir Path tmp) throws IOException {
        Path data = fsddNamed(tmp.resolve("recordings"), List.of("ann", "ben", "cat", "dan"), 6);
        SpeechPretrainExample ex = parsed("--method", "wav2vec2", "--data", data.toString(), "--holdout-speaker", "cat");
        SpeechData.Plan plan = SpeechData.plan(ex.dataOptions());
        assertFalse(speakers(plan.pretrain()).contains("cat"));
        assertFalse(speakers(plan.probeTrain()).contains("cat"));
        assertEquals(Set.of("cat"), speakers(plan.probeTest()));
        assertEquals(2 * 6, plan.probeTest().size(), "every recording of cat");
        assertEquals(3 * 2 * 6, plan.pretrain().size());
        // the layer is chosen on train speakers too (one of the three), not on cat
        Set<String> chosenOn = new HashSet<>();
        for (int i = 0; i < plan.heldOut().length; i++) {
            if (plan.heldOut()[i]) {
                chosenOn.add(plan.probeTrain().get(i).group("speaker"));
            }
        }
        assertEquals(1, chosenOn.size());
        assertFalse(chosenOn.contains("cat"));
        var e = assertThrows(UserError.class, () -> SpeechData.plan(parsed("--method", "hubert", "--data",
                data.toString(), "--holdout-speaker", "zed").dataOptions()));
        assertTrue(e.getMessage().contains("zed") && e.getMessage().contains("ann"), e.getMessage());
    }

    @Test
    void evalData_pretrainsOnAllOfData_andProbesOnTheLabelledSet(@TempDir Path tmp) throws IOException {
        Path flat = tmp.resolve("unlabelled");
        tone(flat.resolve("a.wav"), 16000, 0.3, 300);
        tone(flat.resolve("b.wav"), 16000, 0.3, 500);
        SpeechData.Plan alone = SpeechData.plan(parsed("--method", "hubert", "--data", flat.toString()).dataOptions());
        assertFalse(alone.labelled());
        assertEquals(2, alone.pretrain().size());
        Path labelled = fsddNamed(tmp.resolve("digits"), List.of("ann", "ben"), 3);
        SpeechData.Plan plan = SpeechData.plan(parsed("--method", "hubert", "--data", flat.toString(), "--eval-data",
                labelled.toString(), "--split", "speaker", "--speaker-fraction", "0.5").dataOptions());
        assertEquals(2, plan.pretrain().size());
        assertEquals(6, plan.probeTrain().size());
        assertEquals(6, plan.probeTest().size());
        Outcome o = run("--method", "hubert", "--data", flat.toString(), "--baselines-only", "--out",
                tmp.resolve("out").toString());
        assertEquals(ErrorHandler.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("no labels") && o.err().contains("--eval-data"), o.err());
    }

    @Test
    void manifest_givesLabelsSpeakersAndItsSplit_withPathsRelativeToIt(@TempDir Path tmp) throws IOException {
        tone(tmp.resolve("audio/x1.wav"), 8000, 0.2, 300);
        tone(tmp.resolve("audio/x2.wav"), 8000, 0.2, 300);
        tone(tmp.resolve("audio/y1.wav"), 8000, 0.2, 600);
        tone(tmp.resolve("audio/y2.wav"), 8000, 0.2, 600);
        tone(tmp.resolve("audio/extra.wav"), 8000, 0.2, 400);
        Path m = tmp.resolve("meta/set.csv");
        Files.createDirectories(m.getParent());
        Files.writeString(m, "path,label,speaker,split\n../audio/x1.wav,x,ann,train\n../audio/y1.wav,y,ann,train\n"
                + "../audio/x2.wav,x,ben,test\n\"../audio/y2.wav\",y,ben,test\n../audio/extra.wav,,cat,\n");
        SpeechData.Plan plan = SpeechData.plan(parsed("--method", "ils", "--data", m.toString()).dataOptions());
        assertEquals("manifest", plan.split());
        assertEquals(List.of("x", "y"), plan.probeTrain().labels());
        assertEquals(Set.of("ann"), speakers(plan.probeTrain()));
        assertEquals(Set.of("ben"), speakers(plan.probeTest()));
        // the unlabelled row without a split is pretrained on, never probed
        assertEquals(3, plan.pretrain().size());
        assertTrue(plan.pretrain().files().stream().map(AudioFile::path).anyMatch(p -> p.endsWith("extra.wav")));
        assertEquals(2, plan.probeTrain().size());
    }

    /** Exit code and stderr of one run of the command line. */
    private record Outcome(int code, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        int code = ErrorHandler.commandLine(new SpeechPretrainExample(), args).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Outcome(code, err.toString());
    }

    @Test
    void zeroLengthWav_failsAtLoad_withExitCode3_namingTheFile(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("words");
        tone(data.resolve("yes/a_1.wav"), 8000, 0.2, 300);
        tone(data.resolve("no/b_1.wav"), 8000, 0.2, 300);
        Files.createDirectories(data.resolve("no"));
        Files.write(data.resolve("no/b_broken.wav"), new byte[0]);
        Outcome o = run("--method", "hubert", "--data", data.toString(), "--speaker-pattern", "^(?<speaker>[a-z]+)_",
                "--split", "speaker", "--minutes", "0", "--steps", "1", "--out", tmp.resolve("out").toString());
        assertEquals(ErrorHandler.DATA, o.code(), o.err());
        assertTrue(o.err().startsWith("error: ") && o.err().contains("b_broken.wav"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    @Test
    void modelBase_buildsTheDocumentedBasePreset_andCropsScaleWithTheRate() {
        SpeechPretrainExample ex = parsed("--method", "hubert", "--model", "base", "--sample-rate", "16000");
        Wav2Vec2Config c = ex.trunk();
        assertEquals(Wav2Vec2Config.base(), c);
        assertEquals(768, c.modelDim());
        assertEquals(12, c.numLayers());
        assertEquals(3072, c.ffnDim());
        assertArrayEquals(new int[] {512, 512, 512, 512, 512, 512, 512}, c.convChannels());
        assertEquals(94_371_584L, SpeechModelPreset.BASE_TRUNK_PARAMETERS);
        assertEquals(8000, ex.cropSamples(), "0.5 s at 16 kHz");
        assertEquals(16000, ex.evalMaxSamples(), "1 s at 16 kHz");
        assertEquals(Wav2Vec2Config.small(), parsed("--method", "hubert").trunk());
        assertEquals(4000, parsed("--method", "hubert").cropSamples(), "today's default at 8 kHz");
        assertEquals(1600, parsed("--method", "hubert", "--samples", "1600").cropSamples());
        assertEquals(3200, parsed("--method", "hubert", "--sample-rate", "16000", "--crop-seconds", "0.2").cropSamples());
        var e = assertThrows(UserError.class, () -> parsed("--method", "hubert", "--model", "huge"));
        assertTrue(e.getMessage().contains("small") && e.getMessage().contains("huge"), e.getMessage());
        assertThrows(UserError.class, () -> parsed("--method", "hubert", "--samples", "1600", "--crop-seconds", "0.2"));
    }

    @Test
    void augment_reachesTheBatchSource_viewsDifferFromTheCrops_andRepeatWithTheSeed() {
        SplittableRandom rng = new SplittableRandom(5);
        List<float[]> audio = List.of(new float[6000], new float[3000], new float[9000]);
        audio.forEach(x -> {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
        });
        CropBatchSource plain = parsed("--method", "wav2vec2", "--batch", "4").batches(audio);
        CropBatchSource augmented = parsed("--method", "wav2vec2", "--batch", "4", "--augment", "gain,noise,time-mask")
                .batches(audio);
        CropBatchSource again = parsed("--method", "wav2vec2", "--batch", "4", "--augment", "gain,noise,time-mask")
                .batches(audio);
        int differing = 0;
        for (long step = 0; step < 5; step++) {
            float[][] p = plain.views(step).get(0).toFloatMatrix();
            float[][] a = augmented.views(step).get(0).toFloatMatrix();
            assertEquals(4000, a[0].length);
            assertArrayEquals(a, again.views(step).get(0).toFloatMatrix(), "seeded: the same views again");
            for (int i = 0; i < p.length; i++) {
                differing += java.util.Arrays.equals(p[i], a[i]) ? 0 : 1;
            }
        }
        // each of the three views applies with probability 1/2: nearly every crop is changed by one
        assertTrue(differing >= 15, differing + " of 20 crops changed");
        var e = assertThrows(UserError.class, () -> parsed("--method", "hubert", "--augment", "gain,freq-mask"));
        assertTrue(e.getMessage().contains("waveforms"), e.getMessage());
        assertNotEquals(null, SpeechAugment.parse("shift", 16000));
    }
}
