package org.selfsup4j.speech.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One file of an {@link AudioFolderDataset}.
 *
 * @param path the file
 * @param label its label (sub-folder name, the {@code label} group of the file-name pattern, or the
 *     manifest's {@code label} column); {@link AudioFolderDataset#NO_LABEL} when unlabelled
 * @param labelIndex the label's position in the dataset's sorted label list, -1 when unlabelled
 * @param groups every named group of the file-name pattern (e.g. FSDD's {@code speaker}, {@code index}) or
 *     the manifest's other non-empty columns ({@code speaker}, {@code split}); empty for sub-folder labels
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
