package org.selfsup4j.speech.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.selfsup4j.core.Checks;

/**
 * Train/test partitions that keep each speaker on one side, so a probe is scored on voices its training
 * (and the pretraining) never heard. A file's speaker is its {@code speaker} group
 * ({@link AudioFile#group}): FSDD's file names, a manifest's {@code speaker} column, or a pattern added
 * with {@link AudioFolderDataset#withFileNameGroups}.
 */
public final class SpeakerSplit {
    /** The group that names a file's speaker. */
    public static final String GROUP = "speaker";

    private SpeakerSplit() {
    }

    /**
     * @param d recordings, each with a speaker
     * @return the sorted speakers of {@code d}
     * @throws IllegalArgumentException naming the first file without a speaker
     */
    public static List<String> speakers(AudioFolderDataset d) {
        Set<String> s = new TreeSet<>();
        for (AudioFile f : d.files()) {
            String v = f.groups().get(GROUP);
            if (v == null) {
                throw new IllegalArgumentException("SpeakerSplit: " + f.path() + " has no speaker (expected a '"
                        + GROUP + "' manifest column or file-name group, got groups " + f.groups().keySet() + ")");
            }
            s.add(v);
        }
        return new ArrayList<>(s);
    }

    /**
     * Holds out a seeded random set of whole speakers: {@code round(testFraction * speakers)}, at least
     * one and at most all but one. The same seed and speakers give the same split on any machine.
     *
     * @param d recordings of at least two speakers
     * @param testFraction the share of speakers held out, in (0, 1)
     * @param seed the shuffle's seed
     * @return train (the other speakers) and test (the held-out speakers)
     */
    public static AudioFolderDataset.Split bySpeaker(AudioFolderDataset d, double testFraction, long seed) {
        Checks.argument(testFraction > 0 && testFraction < 1, "SpeakerSplit.bySpeaker",
                "testFraction must be in (0, 1), got " + testFraction);
        Set<String> test = new TreeSet<>(testSpeakers(speakers(d), testFraction, seed));
        return d.split(f -> test.contains(f.group(GROUP)));
    }

    /**
     * @param speakers sorted speakers, at least two
     * @param testFraction the share held out, in (0, 1)
     * @param seed the shuffle's seed
     * @return the held-out speakers, sorted
     */
    public static List<String> testSpeakers(List<String> speakers, double testFraction, long seed) {
        Checks.argument(speakers.size() >= 2, "SpeakerSplit", "a speaker split needs at least two speakers, got "
                + speakers);
        List<String> order = new ArrayList<>(speakers);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        int n = (int) Math.max(1, Math.min(order.size() - 1, Math.round(testFraction * order.size())));
        return new ArrayList<>(new TreeSet<>(order.subList(0, n)));
    }

    /**
     * Leave-one-speaker-out: the test part is exactly {@code speaker}'s recordings.
     *
     * @param d recordings, each with a speaker
     * @param speaker one of them
     * @return train (every other speaker) and test ({@code speaker})
     * @throws IllegalArgumentException when no file has that speaker, listing the speakers there are
     */
    public static AudioFolderDataset.Split holdOut(AudioFolderDataset d, String speaker) {
        List<String> all = speakers(d);
        Checks.argument(all.contains(speaker), "SpeakerSplit.holdOut", "expected one of the speakers " + all
                + ", got '" + speaker + "'");
        return d.split(f -> f.group(GROUP).equals(speaker));
    }
}
