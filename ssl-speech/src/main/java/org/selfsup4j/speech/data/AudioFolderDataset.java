package org.selfsup4j.speech.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.selfsup4j.core.Checks;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.Resampler;
import org.selfsup4j.speech.io.WavReader;

/**
 * A labelled list of WAV files found under a folder.
 *
 * <p>Labels come either from the first-level sub-folder ({@code root/<label>/**.wav}, the common
 * "audio folder" layout) or from a regular expression on the file name with a named group
 * {@code label} (other named groups are kept in {@link AudioFile#groups()}). Files are sorted by path,
 * labels alphabetically, so indices are stable across runs and machines. Files whose name does not match
 * the pattern are skipped. Two more layouts: a flat folder of unlabelled recordings
 * ({@link #fromFlatFolder}: pretraining needs no labels) and a CSV/TSV manifest
 * ({@link #fromManifest}: columns {@code path,label,speaker,split}). Unlabelled files have the label
 * {@link #NO_LABEL} and label index -1.
 *
 * <pre>{@code
 * AudioFolderDataset fsdd = AudioFolderDataset.fromFileNames(root.resolve("recordings"), Fsdd.FILE_NAME);
 * AudioFolderDataset.Split split = fsdd.split(Fsdd.IS_TEST);   // 2,700 train / 300 test
 * float[] x = split.train().loadMono(0, 16000);                // resampled 8 kHz -> 16 kHz
 * }</pre>
 *
 * <p>Immutable; {@link #load(int)} is thread-safe.
 */
public final class AudioFolderDataset {
    /** The label of an unlabelled file (flat folder, empty manifest cell); its label index is -1. */
    public static final String NO_LABEL = "";

    private final Path root;
    private final List<AudioFile> files;
    private final List<String> labels;
    private final WavReader reader;

    private AudioFolderDataset(Path root, List<AudioFile> files, List<String> labels, WavReader reader) {
        this.root = root;
        this.files = List.copyOf(files);
        this.labels = List.copyOf(labels);
        this.reader = reader;
    }

    /**
     * @param root a folder whose sub-folders are the labels
     * @return the dataset of every {@code .wav} file (case-insensitive) under {@code root/<label>/}
     * @throws IOException when the folder cannot be listed
     */
    public static AudioFolderDataset fromSubfolders(Path root) throws IOException {
        checkDir(root, "fromSubfolders");
        List<Path> paths = listWavs(root);
        List<String[]> raw = new ArrayList<>();
        for (Path p : paths) {
            Path rel = root.relativize(p);
            if (rel.getNameCount() < 2) {
                continue; // a file directly under root has no label
            }
            raw.add(new String[] {rel.getName(0).toString()});
        }
        TreeSet<String> labelSet = new TreeSet<>();
        raw.forEach(r -> labelSet.add(r[0]));
        List<String> labels = new ArrayList<>(labelSet);
        List<AudioFile> files = new ArrayList<>();
        int i = 0;
        for (Path p : paths) {
            Path rel = root.relativize(p);
            if (rel.getNameCount() < 2) {
                continue;
            }
            String label = raw.get(i++)[0];
            files.add(new AudioFile(p, label, Collections.binarySearch(labels, label), Map.of()));
        }
        return new AudioFolderDataset(root, files, labels, WavReader.create());
    }

    /**
     * @param root a folder searched recursively for {@code .wav} files
     * @param fileName a pattern that must match the whole file name and has a named group {@code label}
     * @return the dataset of the matching files
     * @throws IOException when the folder cannot be listed
     */
    public static AudioFolderDataset fromFileNames(Path root, Pattern fileName) throws IOException {
        checkDir(root, "fromFileNames");
        if (!fileName.pattern().contains("(?<label>")) {
            throw new IllegalArgumentException("AudioFolderDataset.fromFileNames: the pattern must have a named"
                    + " group 'label', got " + fileName.pattern());
        }
        List<String> groupNames = groupNames(fileName);
        List<Path> paths = listWavs(root);
        List<Path> kept = new ArrayList<>();
        List<Map<String, String>> groups = new ArrayList<>();
        TreeSet<String> labelSet = new TreeSet<>();
        for (Path p : paths) {
            Matcher m = fileName.matcher(p.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            Map<String, String> g = new HashMap<>();
            for (String name : groupNames) {
                String v = m.group(name);
                if (v != null) {
                    g.put(name, v);
                }
            }
            kept.add(p);
            groups.add(g);
            labelSet.add(g.get("label"));
        }
        List<String> labels = new ArrayList<>(labelSet);
        List<AudioFile> files = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            String label = groups.get(i).get("label");
            files.add(new AudioFile(kept.get(i), label, Collections.binarySearch(labels, label), groups.get(i)));
        }
        return new AudioFolderDataset(root, files, labels, WavReader.create());
    }

    /**
     * @param root a folder searched recursively for {@code .wav} files
     * @return every one of them, unlabelled (for pretraining; a probe needs labels from elsewhere)
     * @throws IOException when the folder cannot be listed
     */
    public static AudioFolderDataset fromFlatFolder(Path root) throws IOException {
        checkDir(root, "fromFlatFolder");
        List<AudioFile> files = new ArrayList<>();
        for (Path p : listWavs(root)) {
            files.add(new AudioFile(p, NO_LABEL, -1, Map.of()));
        }
        return new AudioFolderDataset(root, files, List.of(), WavReader.create());
    }

    /**
     * Reads a manifest: a CSV (or, for a {@code .tsv} name or a tab in the header, TSV) file whose header
     * names the columns, {@code path} required and {@code label}, {@code speaker}, {@code split}
     * optional (other columns are kept as groups). Paths are relative to the manifest's folder. Every
     * non-empty cell but path and label becomes a group of the file ({@code file.group("speaker")}); an
     * empty label makes the file unlabelled. Files keep the manifest's order.
     *
     * @param manifest the manifest file
     * @return its files
     * @throws IOException when it cannot be read, a row is malformed or a listed file does not exist
     *     (the message names the manifest and the line)
     */
    public static AudioFolderDataset fromManifest(Path manifest) throws IOException {
        List<ManifestReader.Row> rows = ManifestReader.read(manifest);
        TreeSet<String> labelSet = new TreeSet<>();
        rows.forEach(r -> {
            if (!r.label().isEmpty()) {
                labelSet.add(r.label());
            }
        });
        List<String> labels = new ArrayList<>(labelSet);
        List<AudioFile> files = new ArrayList<>();
        for (ManifestReader.Row r : rows) {
            int idx = r.label().isEmpty() ? -1 : Collections.binarySearch(labels, r.label());
            files.add(new AudioFile(r.path(), r.label(), idx, r.groups()));
        }
        Path dir = manifest.toAbsolutePath().getParent();
        return new AudioFolderDataset(dir, files, labels, WavReader.create());
    }

    /**
     * Adds the named groups of {@code fileName} (searched, not matched whole, in each file name) to
     * every file, e.g. {@code (?<speaker>[a-z]+)_} for a speaker.
     *
     * @param fileName a pattern with at least one named group
     * @return this dataset with the groups added (a group already present is replaced)
     * @throws IllegalArgumentException naming the first file whose name the pattern does not find
     */
    public AudioFolderDataset withFileNameGroups(Pattern fileName) {
        List<String> names = groupNames(fileName);
        Checks.argument(!names.isEmpty(), "AudioFolderDataset.withFileNameGroups",
                "the pattern needs a named group such as (?<speaker>...), got " + fileName.pattern());
        List<AudioFile> out = new ArrayList<>(files.size());
        for (AudioFile f : files) {
            Matcher m = fileName.matcher(f.path().getFileName().toString());
            if (!m.find()) {
                throw new IllegalArgumentException("AudioFolderDataset.withFileNameGroups: the pattern "
                        + fileName.pattern() + " does not occur in the file name " + f.path());
            }
            Map<String, String> g = new HashMap<>(f.groups());
            for (String name : names) {
                if (m.group(name) != null) {
                    g.put(name, m.group(name));
                }
            }
            out.add(new AudioFile(f.path(), f.label(), f.labelIndex(), g));
        }
        return new AudioFolderDataset(root, out, labels, reader);
    }

    /** @return whether every file has a label (and there is at least one file) */
    public boolean isLabelled() {
        return !files.isEmpty() && files.stream().allMatch(f -> f.labelIndex() >= 0);
    }

    /**
     * @param newReader the reader (and its limits) used by {@link #load(int)}
     * @return this dataset reading with that reader
     */
    public AudioFolderDataset withReader(WavReader newReader) {
        Checks.notNull("AudioFolderDataset.withReader", "reader", newReader);
        return new AudioFolderDataset(root, files, labels, newReader);
    }

    /** @return the folder */
    public Path root() {
        return root;
    }

    /** @return the files, sorted by path */
    public List<AudioFile> files() {
        return files;
    }

    /** @return the sorted label vocabulary (kept whole by {@link #filter} and {@link #split}) */
    public List<String> labels() {
        return labels;
    }

    /** @return the number of files */
    public int size() {
        return files.size();
    }

    /**
     * @param i file index
     * @return that file's entry
     */
    public AudioFile get(int i) {
        if (i < 0 || i >= files.size()) {
            throw new IllegalArgumentException("AudioFolderDataset.get: index must be in [0, " + files.size()
                    + "), got " + i);
        }
        return files.get(i);
    }

    /**
     * @param i file index
     * @return the decoded file
     * @throws IOException when it cannot be read or is malformed
     */
    public Audio load(int i) throws IOException {
        return reader.read(get(i).path());
    }

    /**
     * Reads a file, mixes it to mono and resamples it.
     *
     * @param i file index
     * @param sampleRate the rate wanted
     * @return mono samples at that rate
     * @throws UncheckedIOException when the file cannot be read or is malformed
     */
    public float[] loadMono(int i, int sampleRate) {
        Audio a;
        try {
            a = load(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] x = a.mixToMono();
        return a.sampleRate() == sampleRate ? x : new Resampler(a.sampleRate(), sampleRate).resample(x);
    }

    /**
     * @param keep which files to keep
     * @return the files for which {@code keep} is true, with the same label vocabulary
     */
    public AudioFolderDataset filter(Predicate<AudioFile> keep) {
        return new AudioFolderDataset(root, files.stream().filter(keep).toList(), labels, reader);
    }

    /** A train/test partition of one dataset. @param train training files @param test test files */
    public record Split(AudioFolderDataset train, AudioFolderDataset test) {
    }

    /**
     * @param isTest true for files in the test part
     * @return the two parts
     */
    public Split split(Predicate<AudioFile> isTest) {
        return new Split(filter(isTest.negate()), filter(isTest));
    }

    private static void checkDir(Path root, String method) {
        if (root == null || !Files.isDirectory(root)) {
            throw new IllegalArgumentException("AudioFolderDataset." + method + ": expected a folder, got " + root);
        }
    }

    private static List<Path> listWavs(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".wav"))
                    .sorted()
                    .toList();
        }
    }

    private static List<String> groupNames(Pattern p) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(p.pattern());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Override
    public String toString() {
        return "AudioFolderDataset[" + root + ", " + files.size() + " files, " + labels.size() + " labels]";
    }
}
