package org.selfsup4j.speech.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Free Spoken Digit Dataset (Z. Jackson et al., CC BY-SA 4.0): 3,000 recordings of digits 0-9 by six
 * speakers, 8 kHz mono 16-bit, named {@code {digit}_{speaker}_{index}.wav} in a {@code recordings}
 * folder. Its README prescribes the split: index 0-4 test (300 files), 5-49 train (2,700).
 */
public final class Fsdd {
    /** File names: groups {@code label} (the digit), {@code speaker} and {@code index}. */
    public static final Pattern FILE_NAME = Pattern.compile("(?<label>\\d)_(?<speaker>[a-z]+)_(?<index>\\d+)\\.wav");
    /** The official test part: take index below 5. */
    public static final Predicate<AudioFile> IS_TEST = f -> Integer.parseInt(f.group("index")) < 5;
    /** The recordings' sample rate. */
    public static final int SAMPLE_RATE = 8000;

    private Fsdd() {
    }

    /**
     * @param fsddRoot the dataset folder (holding {@code recordings/}) or the recordings folder itself
     * @return every recording, labelled by digit
     * @throws IOException when the folder cannot be listed
     */
    public static AudioFolderDataset load(Path fsddRoot) throws IOException {
        Path rec = fsddRoot.resolve("recordings");
        return AudioFolderDataset.fromFileNames(java.nio.file.Files.isDirectory(rec) ? rec : fsddRoot, FILE_NAME);
    }
}
