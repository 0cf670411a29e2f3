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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.SampleEncoding;
import org.selfsup4j.speech.io.WavWriter;

class SpeakerSplitTest {
    private static final List<String> SPEAKERS = List.of("ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ivy",
            "jon");

    private static AudioFolderDataset digits(Path root) throws IOException {
        Files.createDirectories(root);
        WavWriter w = new WavWriter(SampleEncoding.PCM_S16);
        for (String s : SPEAKERS) {
            for (int take = 0; take < 3; take++) {
                w.write(root.resolve((take % 2) + "_" + s + "_" + take + ".wav"), Audio.mono(new float[8], 8000));
            }
        }
        return Fsdd.load(root);
    }

    private static Set<String> speakers(AudioFolderDataset d) {
        return new HashSet<>(SpeakerSplit.speakers(d));
    }

    @Test
    void bySpeaker_holdsOutWholeSpeakers_aSeededShare(@TempDir Path root) throws IOException {
        AudioFolderDataset d = digits(root);
        AudioFolderDataset.Split s = SpeakerSplit.bySpeaker(d, 0.3, 7);
        Set<String> test = speakers(s.test());
        Set<String> train = speakers(s.train());
        assertEquals(3, test.size(), "30% of 10 speakers");
        assertEquals(7, train.size());
        train.retainAll(test);
        assertTrue(train.isEmpty(), "no speaker on both sides");
        assertEquals(3 * 3, s.test().size(), "every recording of a held-out speaker");
    }

    @Test
    void bySpeaker_isDeterministicForASeed_andTheSeedMatters(@TempDir Path root) throws IOException {
        AudioFolderDataset d = digits(root);
        assertEquals(SpeakerSplit.bySpeaker(d, 0.2, 1).test().files(), SpeakerSplit.bySpeaker(d, 0.2, 1).test().files());
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            seen.add(SpeakerSplit.testSpeakers(SPEAKERS, 0.2, seed));
        }
        assertTrue(seen.size() > 3, "ten seeds gave only " + seen);
        assertEquals(1, SpeakerSplit.testSpeakers(List.of("ann", "ben"), 0.01, 3).size(), "at least one held out");
        assertEquals(1, SpeakerSplit.testSpeakers(List.of("ann", "ben"), 0.99, 3).size(), "and at least one kept");
    }

    @Test
    void holdOut_isExactlyThatSpeaker_andAnUnknownOneIsNamed(@TempDir Path root) throws IOException {
        AudioFolderDataset d = digits(root);
        AudioFolderDataset.Split s = SpeakerSplit.holdOut(d, "eve");
        assertEquals(Set.of("eve"), speakers(s.test()));
        assertEquals(3, s.test().size());
        assertEquals(27, s.train().size());
        var e = assertThrows(IllegalArgumentException.class, () -> SpeakerSplit.holdOut(d, "zoe"));
        assertTrue(e.getMessage().contains("zoe") && e.getMessage().contains("ann"), e.getMessage());
    }

    @Test
    void aFileWithoutASpeaker_isNamed(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("yes"));
        new WavWriter(SampleEncoding.PCM_S16).write(root.resolve("yes/x.wav"), Audio.mono(new float[8], 8000));
        var e = assertThrows(IllegalArgumentException.class,
                () -> SpeakerSplit.bySpeaker(AudioFolderDataset.fromSubfolders(root), 0.5, 0));
        assertTrue(e.getMessage().contains("x.wav"), e.getMessage());
    }
}
