package org.selfsup4j.speech.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.speech.features.Golden;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.SampleEncoding;
import org.selfsup4j.speech.io.WavWriter;

class AudioFolderDatasetTest {
    private static void wav(Path p, int frames) throws IOException {
        Files.createDirectories(p.getParent());
        new WavWriter(SampleEncoding.PCM_S16).write(p, Audio.mono(new float[frames], 8000));
    }

    @Test
    void fromSubfolders_labelsAreSortedFolderNames(@TempDir Path root) throws IOException {
        wav(root.resolve("yes/a.wav"), 10);
        wav(root.resolve("yes/deep/b.WAV"), 10);
        wav(root.resolve("no/c.wav"), 10);
        wav(root.resolve("loose.wav"), 10); // no label: skipped
        Files.writeString(root.resolve("no/readme.txt"), "not audio");
        AudioFolderDataset ds = AudioFolderDataset.fromSubfolders(root);
        assertEquals(List.of("no", "yes"), ds.labels());
        assertEquals(3, ds.size());
        assertEquals("no", ds.get(0).label());
        assertEquals(0, ds.get(0).labelIndex());
        assertEquals(1, ds.get(1).labelIndex());
        assertEquals(10, ds.load(2).numFrames());
    }

    @Test
    void fromFileNames_takesLabelAndOtherGroups(@TempDir Path root) throws IOException {
        wav(root.resolve("7_alice_3.wav"), 10);
        wav(root.resolve("2_bob_12.wav"), 10);
        wav(root.resolve("notes_1.wav"), 10); // does not match: skipped
        AudioFolderDataset ds = AudioFolderDataset.fromFileNames(root, Fsdd.FILE_NAME);
        assertEquals(2, ds.size());
        assertEquals(List.of("2", "7"), ds.labels());
        AudioFile f = ds.get(1);
        assertEquals("7", f.label());
        assertEquals("alice", f.group("speaker"));
        assertEquals("3", f.group("index"));
        assertThrows(IllegalArgumentException.class, () -> f.group("nope"));
        AudioFolderDataset.Split s = ds.split(Fsdd.IS_TEST);
        assertEquals(1, s.test().size());
        assertEquals("alice", s.test().get(0).group("speaker"));
        assertEquals(ds.labels(), s.train().labels());
    }

    @Test
    void loadMono_resamplesToTheRateAsked(@TempDir Path root) throws IOException {
        wav(root.resolve("a/x.wav"), 800);
        AudioFolderDataset ds = AudioFolderDataset.fromSubfolders(root);
        assertEquals(1600, ds.loadMono(0, 16000).length);
        assertEquals(800, ds.loadMono(0, 8000).length);
    }

    @Test
    void badArguments_throwWithMessages(@TempDir Path root) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AudioFolderDataset.fromFileNames(root, Pattern.compile("(\\d)_.*\\.wav")));
        assertTrue(e.getMessage().contains("label"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AudioFolderDataset.fromSubfolders(root.resolve("missing")));
        assertTrue(e.getMessage().contains("folder"), e.getMessage());
    }

    @Test
    void fsdd_officialSplitIs2700Train300Test() throws IOException {
        Path rec = Golden.fsddRecordings();
        AudioFolderDataset ds = Fsdd.load(rec.getParent());
        assertEquals(3000, ds.size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), ds.labels());
        AudioFolderDataset.Split s = ds.split(Fsdd.IS_TEST);
        assertEquals(2700, s.train().size());
        assertEquals(300, s.test().size());
        Set<String> speakers = new HashSet<>();
        int[] perDigit = new int[10];
        for (AudioFile f : s.test().files()) {
            speakers.add(f.group("speaker"));
            perDigit[f.labelIndex()]++;
            assertTrue(Integer.parseInt(f.group("index")) < 5);
        }
        assertEquals(Set.of("george", "jackson", "lucas", "nicolas", "theo", "yweweler"), speakers);
        for (int d = 0; d < 10; d++) {
            assertEquals(30, perDigit[d], "test files of digit " + d);
        }
        assertEquals(Fsdd.SAMPLE_RATE, s.test().load(0).sampleRate());
    }
}
