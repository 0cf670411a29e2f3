package org.selfsup4j.speech.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.Resampler;
import org.selfsup4j.speech.io.SampleEncoding;
import org.selfsup4j.speech.io.WavWriter;

/** Flat folders, manifests and file-name groups, and resampling through the loader. */
class AudioLayoutsTest {
    private static float[] sine(int rate, int n, double hz) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    private static void wav(Path p, int rate, int n) throws IOException {
        Files.createDirectories(p.getParent());
        new WavWriter(SampleEncoding.FLOAT_32).write(p, Audio.mono(sine(rate, n, 440), rate));
    }

    @Test
    void flatFolder_isEveryWavUnlabelled(@TempDir Path root) throws IOException {
        wav(root.resolve("b.wav"), 8000, 10);
        wav(root.resolve("sub/a.WAV"), 8000, 10);
        Files.writeString(root.resolve("notes.txt"), "x");
        AudioFolderDataset d = AudioFolderDataset.fromFlatFolder(root);
        assertEquals(2, d.size());
        assertEquals(List.of(), d.labels());
        assertEquals(AudioFolderDataset.NO_LABEL, d.get(0).label());
        assertEquals(-1, d.get(1).labelIndex());
        assertFalse(d.isLabelled());
    }

    @Test
    void manifest_readsLabelsSpeakersSplitAndExtraColumns_relativeToItsFolder(@TempDir Path root) throws IOException {
        wav(root.resolve("clips/one, two.wav"), 8000, 10);
        wav(root.resolve("clips/b.wav"), 8000, 10);
        wav(root.resolve("clips/c.wav"), 8000, 10);
        Path m = root.resolve("lists/all.csv");
        Files.createDirectories(m.getParent());
        Files.writeString(m, "# made by hand\nPath,label,speaker,split,mic\n\"../clips/one, two.wav\",up,ann,train,usb\n"
                + "../clips/b.wav,down,bob,test,\n\n../clips/c.wav,,ann,,\n");
        AudioFolderDataset d = AudioFolderDataset.fromManifest(m);
        assertEquals(3, d.size());
        assertEquals(List.of("down", "up"), d.labels());
        assertTrue(d.get(0).path().endsWith("one, two.wav"));
        assertEquals(1, d.get(0).labelIndex());
        assertEquals("ann", d.get(0).group("speaker"));
        assertEquals("usb", d.get(0).group("mic"));
        assertEquals("test", d.get(1).group("split"));
        assertFalse(d.get(1).groups().containsKey("mic"), "an empty cell is no group");
        assertEquals(-1, d.get(2).labelIndex());
        assertFalse(d.isLabelled());
        assertEquals(10, d.load(2).numFrames());
    }

    @Test
    void manifestTsv_andItsErrors_nameTheLine(@TempDir Path root) throws IOException {
        wav(root.resolve("a.wav"), 8000, 10);
        Path tsv = root.resolve("m.tsv");
        Files.writeString(tsv, "path\tlabel\na.wav\tyes\n");
        assertEquals("yes", AudioFolderDataset.fromManifest(tsv).get(0).label());
        Path missing = root.resolve("missing.csv");
        Files.writeString(missing, "path,label\na.wav,yes\nnope.wav,no\n");
        var e = assertThrows(NoSuchFileException.class, () -> AudioFolderDataset.fromManifest(missing));
        assertTrue(e.getMessage().contains("nope.wav") && e.getMessage().contains("line 3"), e.getMessage());
        Path ragged = root.resolve("ragged.csv");
        Files.writeString(ragged, "path,label\na.wav,yes,extra\n");
        var r = assertThrows(IOException.class, () -> AudioFolderDataset.fromManifest(ragged));
        assertTrue(r.getMessage().contains("line 2") && r.getMessage().contains("expected 2 fields"), r.getMessage());
        Path noPath = root.resolve("nopath.csv");
        Files.writeString(noPath, "file,label\na.wav,yes\n");
        assertTrue(assertThrows(IOException.class, () -> AudioFolderDataset.fromManifest(noPath)).getMessage()
                .contains("'path'"));
    }

    @Test
    void withFileNameGroups_addsTheSpeaker_andNamesAFileItDoesNotFit(@TempDir Path root) throws IOException {
        wav(root.resolve("yes/alice-03.wav"), 8000, 10);
        wav(root.resolve("no/bob-01.wav"), 8000, 10);
        AudioFolderDataset d = AudioFolderDataset.fromSubfolders(root).withFileNameGroups(
                Pattern.compile("^(?<speaker>[a-z]+)-"));
        assertEquals("bob", d.get(0).group(SpeakerSplit.GROUP));
        assertEquals("alice", d.get(1).group(SpeakerSplit.GROUP));
        assertEquals("no", d.get(0).label());
        wav(root.resolve("no/9.wav"), 8000, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> AudioFolderDataset.fromSubfolders(root)
                .withFileNameGroups(Pattern.compile("^(?<speaker>[a-z]+)-")));
        assertTrue(e.getMessage().contains("9.wav"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 44100})
    void loadMono_resamplesAWavOfAnotherRateTo8kHz(int rate, @TempDir Path root) throws IOException {
        Path p = root.resolve("x/tone.wav");
        wav(p, rate, rate / 4);
        AudioFolderDataset d = AudioFolderDataset.fromSubfolders(root);
        float[] y = d.loadMono(0, 8000);
        assertEquals(2000, y.length, "0.25 s at 8 kHz");
        float[] expected = new Resampler(rate, 8000).resample(sine(rate, rate / 4, 440));
        float[] direct = sine(8000, 2000, 440);
        double maxDiff = 0;
        for (int i = 200; i < 1800; i++) { // away from the filter's edges
            assertEquals(expected[i], y[i], 1e-6);
            maxDiff = Math.max(maxDiff, Math.abs(direct[i] - y[i]));
        }
        assertTrue(maxDiff < 5e-3, "the same 440 Hz tone at 8 kHz, max deviation " + maxDiff);
    }
}
