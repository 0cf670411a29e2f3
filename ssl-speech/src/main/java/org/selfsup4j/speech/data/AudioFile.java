package org.selfsup4j.speech.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One file of an {@link AudioFolderDataset}.
 *
 * @param path the file
 * @param label its label (sub-folder name, or the {@code label} group of the file-name pattern)
 * @param labelIndex the label's position in the dataset's sorted label list
 * @param groups every named group of the file-name pattern (e.g. FSDD's {@code speaker}, {@code index});
 *     empty for sub-folder labels
 */
public record AudioFile(Path path, String label, int labelIndex, Map<String, String> groups) {
    /** Copies the groups into an unmodifiable map. */
    public AudioFile {
        groups = Map.copyOf(groups);
    }

    /**
     * @param name a named group of the file-name pattern
     * @return its value
     * @throws IllegalArgumentException when the pattern has no such group
     */
    public String group(String name) {
        String v = groups.get(name);
        if (v == null) {
            throw new IllegalArgumentException("AudioFile.group: no group '" + name + "' for " + path
                    + "; groups are " + groups.keySet());
        }
        return v;
    }
}
