package org.selfsup4j.examples.speech;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.examples.UserError;
import org.selfsup4j.speech.data.AudioFile;
import org.selfsup4j.speech.data.AudioFolderDataset;
import org.selfsup4j.speech.data.Fsdd;
import org.selfsup4j.speech.data.SpeakerSplit;
import org.selfsup4j.speech.data.Utterances;

/**
 * Which recordings a speech run pretrains on, and which it probes with: the data-source half of
 * {@code SpeechPretrainExample}.
 *
 * <p>Layouts of {@code --data} ({@code --layout}) and {@code --eval-data} (always recognised), found by
 * {@code auto}: a {@code .csv} or
 * {@code .tsv} file is a manifest ({@code path,label,speaker,split}); a folder with a
 * {@code recordings/} folder, or whose recordings all carry FSDD's names, is FSDD; a folder with
 * recordings in sub-folders is labelled by sub-folder; any other folder is flat (unlabelled).
 *
 * <p>Splits of the labelled set (the probe's): {@code take} (FSDD's takes 0-4 test, the default for
 * FSDD), {@code manifest} (its split column, {@code train} or {@code test}; the default for a manifest
 * with one), {@code speaker} (a seeded {@code --speaker-fraction} of whole speakers held out; the
 * default when every file has a speaker), {@code files} (a seeded fifth of each class's files; the
 * default when speakers are unknown, and said so in the run's split text). {@code --holdout-speaker} replaces them all: the test part is exactly that
 * speaker. Pretraining uses the train part (every file of it, labelled or not) or, with
 * {@code --eval-data}, all of {@code --data}; the held-out speaker is removed from it either way.
 *
 * <p>The probe's layer is chosen on a held-out part of its training set: takes 5-9 for the take split
 * (as before), else a seeded {@code --speaker-fraction} of its speakers (so the choice, too, is made
 * on voices it was not fitted on), else a seeded fifth of its files.
 */
final class SpeechData {
    /** Layout names of {@code --layout}. */
    static final List<String> LAYOUTS = List.of("auto", "fsdd", "folders", "flat", "manifest");
    /** Split names of {@code --split}. */
    static final List<String> SPLITS = List.of("take", "speaker", "manifest", "files");
    /** {@code --split files}: the share of each class's files held out for the test part. */
    static final double FILES_TEST_FRACTION = 0.2;
    /** Share of the probe's training files that choose the layer when there are no speakers to hold out. */
    static final double LAYER_CHOICE_FILE_FRACTION = 0.2;
    /** {@link Seeds#mix} stream of the speaker split of the test part. */
    static final long STREAM_SPLIT = 21;
    /** {@link Seeds#mix} stream of the layer choice's held-out part. */
    static final long STREAM_LAYER_CHOICE = 22;

    /**
     * What the command line says about the data.
     *
     * @param data {@code --data}
     * @param layout {@code --layout}
     * @param evalData {@code --eval-data} or null
     * @param split {@code --split} or null for the layout's default
     * @param speakerFraction {@code --speaker-fraction}
     * @param holdoutSpeaker {@code --holdout-speaker} or null
     * @param speakerPattern {@code --speaker-pattern} or null
     * @param seed {@code --seed}
     */
    record Options(Path data, String layout, Path evalData, String split, double speakerFraction,
            String holdoutSpeaker, String speakerPattern, long seed) {
    }

    /**
     * The file lists of a run (no audio read yet).
     *
     * @param name the dataset's name for results ({@code fsdd} or the folder's name)
     * @param pretrain the recordings pretraining crops are drawn from
     * @param probeTrain the probe's training recordings, or null when nothing is labelled
     * @param heldOut per probe-training recording, whether it is in the layer choice's held-out part
     * @param probeTest the probe's test recordings, or null
     * @param split how the test part was chosen, for results and the baselines' cache key
     * @param layerChoice how the held-out part was chosen
     */
    record Plan(String name, AudioFolderDataset pretrain, AudioFolderDataset probeTrain, boolean[] heldOut,
            AudioFolderDataset probeTest, String split, String layerChoice) {
        /** @return whether there is a probe to run */
        boolean labelled() {
            return probeTrain != null;
        }
    }

    /**
     * The waveforms of a plan, standardised, at the run's rate.
     *
     * @param pretrain the pretraining recordings
     * @param train the probe's training recordings (empty when unlabelled)
     * @param trainY their labels
     * @param heldOut the layer choice's held-out part of {@code train}
     * @param test the probe's test recordings
     * @param testY their labels
     */
    record Loaded(List<float[]> pretrain, List<float[]> train, int[] trainY, boolean[] heldOut, List<float[]> test,
            int[] testY) {
    }

    private SpeechData() {
    }

    /** Reads the folders or manifests and chooses the parts, reading no audio. */
    static Plan plan(Options o) throws IOException {
        String layout = layout(o.data(), o.layout());
        AudioFolderDataset data = open(o.data(), layout, o.speakerPattern());
        String name = layout.equals("fsdd") ? "fsdd" : o.data().toAbsolutePath().normalize().getFileName().toString();
        if (o.evalData() == null && !anyLabelled(data)) {
            AudioFolderDataset pre = o.holdoutSpeaker() == null ? data : withoutSpeaker(data, o.holdoutSpeaker());
            return new Plan(name, pre, null, null, null, "none (unlabelled)", "none");
        }
        // --layout names the layout of --data; --eval-data is recognised on its own
        String evalLayout = o.evalData() == null ? layout : layout(o.evalData(), "auto");
        AudioFolderDataset labelled = o.evalData() == null ? data : open(o.evalData(), evalLayout, o.speakerPattern());
        String split = o.split() != null ? o.split() : defaultSplit(evalLayout, labelled);
        AudioFolderDataset.Split parts;
        String splitText;
        if (o.holdoutSpeaker() != null) {
            try {
                parts = SpeakerSplit.holdOut(labelled, o.holdoutSpeaker());
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--holdout-speaker: " + e.getMessage());
            }
            splitText = "holdout-speaker " + o.holdoutSpeaker();
            split = "speaker";
        } else {
            parts = split(labelled, split, o);
            splitText = split + (split.equals("speaker") ? " (test speakers " + SpeakerSplit.speakers(parts.test())
                    + ")" : split.equals("files") ? " (no speakers known: a voice may be in both parts; a manifest's "
                    + "speaker column or --speaker-pattern gives a speaker split)" : "");
        }
        requireLabels(parts.test(), "the probe's test part");
        // the same object when all are labelled, so that load() reads the recordings once
        AudioFolderDataset probeTrain = parts.train().isLabelled() ? parts.train()
                : parts.train().filter(f -> f.labelIndex() >= 0);
        if (probeTrain.size() == 0 || parts.test().size() == 0) {
            throw UserError.data("the split '" + splitText + "' of " + (o.evalData() == null ? o.data() : o.evalData())
                    + " leaves " + probeTrain.size() + " labelled training and " + parts.test().size()
                    + " test recordings; both need at least one", null);
        }
        AudioFolderDataset pretrain = o.evalData() == null ? parts.train()
                : o.holdoutSpeaker() == null ? data : withoutSpeaker(data, o.holdoutSpeaker());
        LayerChoice choice = layerChoice(probeTrain, split, o);
        return new Plan(name, pretrain, probeTrain, choice.heldOut(), parts.test(), splitText, choice.text());
    }

    /** Reads and standardises every recording of the plan; a file that cannot be read is named. */
    static Loaded load(Plan p, int sampleRate) {
        List<float[]> train = p.labelled() ? read(p.probeTrain(), sampleRate) : List.of();
        List<float[]> pretrain = p.pretrain() == p.probeTrain() ? train : read(p.pretrain(), sampleRate);
        if (!p.labelled()) {
            return new Loaded(pretrain, train, new int[0], new boolean[0], List.of(), new int[0]);
        }
        return new Loaded(pretrain, train, Utterances.labels(p.probeTrain()), p.heldOut(), read(p.probeTest(),
                sampleRate), Utterances.labels(p.probeTest()));
    }

    private static List<float[]> read(AudioFolderDataset d, int sampleRate) {
        try {
            return Utterances.standardized(d, sampleRate);
        } catch (UncheckedIOException e) {
            throw UserError.data("cannot read a recording: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The layout {@code auto} stands for, or the one given. */
    static String layout(Path data, String layout) throws IOException {
        if (!layout.equals("auto")) {
            return layout;
        }
        if (Files.isRegularFile(data)) {
            String n = data.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".csv") || n.endsWith(".tsv")) {
                return "manifest";
            }
            throw UserError.usage("--data " + data + " is a file; expected a folder or a .csv/.tsv manifest");
        }
        if (Files.isDirectory(data.resolve("recordings"))) {
            return "fsdd";
        }
        List<Path> wavs;
        try (Stream<Path> s = Files.walk(data)) {
            wavs = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")).toList();
        }
        if (wavs.isEmpty()) {
            throw UserError.data(data + " holds no .wav recordings", null);
        }
        if (wavs.stream().anyMatch(p -> !p.getParent().equals(data))) {
            return "folders";
        }
        boolean fsddNames = wavs.stream().allMatch(p -> Fsdd.FILE_NAME.matcher(p.getFileName().toString()).matches());
        return fsddNames ? "fsdd" : "flat";
    }

    private static AudioFolderDataset open(Path data, String layout, String speakerPattern) throws IOException {
        AudioFolderDataset d;
        try {
            d = switch (layout) {
                case "fsdd" -> Fsdd.load(data);
                case "folders" -> AudioFolderDataset.fromSubfolders(data);
                case "flat" -> AudioFolderDataset.fromFlatFolder(data);
                case "manifest" -> AudioFolderDataset.fromManifest(data);
                default -> throw UserError.usage("--layout: expected one of " + LAYOUTS + ", got '" + layout + "'");
            };
        } catch (java.nio.file.NoSuchFileException e) {
            throw UserError.data("no such recording: " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw UserError.data(e.getMessage(), e);
        }
        if (d.size() == 0) {
            throw UserError.data(data + " holds no recordings of the " + layout + " layout", null);
        }
        if (speakerPattern != null) {
            try {
                d = d.withFileNameGroups(Pattern.compile(speakerPattern));
            } catch (PatternSyntaxException e) {
                throw UserError.usage("--speaker-pattern: not a regular expression: " + e.getDescription());
            } catch (IllegalArgumentException e) {
                throw UserError.data("--speaker-pattern: " + e.getMessage(), e);
            }
        }
        return d;
    }

    private static boolean anyLabelled(AudioFolderDataset d) {
        return d.files().stream().anyMatch(f -> f.labelIndex() >= 0);
    }

    private static String defaultSplit(String layout, AudioFolderDataset d) {
        if (layout.equals("fsdd")) {
            return "take";
        }
        if (layout.equals("manifest") && d.files().stream().anyMatch(f -> f.groups().containsKey("split"))) {
            return "manifest";
        }
        // unseen voices are the honest test; without speakers to hold out, files are held out instead
        return speakersOrEmpty(d).size() >= 2 ? "speaker" : "files";
    }

    /**
     * A seeded {@link #FILES_TEST_FRACTION} of each class's files (at least one of a class with two or
     * more): the split of a folder whose speakers are unknown, so the same voice may be in both parts.
     */
    private static AudioFolderDataset.Split filesSplit(AudioFolderDataset d, long seed) {
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < d.size(); i++) {
            byClass.computeIfAbsent(d.get(i).labelIndex(), k -> new ArrayList<>()).add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Set<Path> test = new HashSet<>();
        for (List<Integer> files : byClass.values()) {
            for (int i = files.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                files.set(j, files.set(i, files.get(j)));
            }
            int n = files.size() < 2 ? 0 : (int) Math.max(1, Math.round(FILES_TEST_FRACTION * files.size()));
            for (int k = 0; k < n; k++) {
                test.add(d.get(files.get(k)).path());
            }
        }
        return d.split(f -> test.contains(f.path()));
    }

    private static AudioFolderDataset.Split split(AudioFolderDataset d, String split, Options o) {
        try {
            return switch (split) {
                case "take" -> {
                    for (AudioFile f : d.files()) {
                        if (!f.groups().containsKey("index")) {
                            throw UserError.usage("--split take needs FSDD's file names <digit>_<speaker>_<take>.wav, "
                                    + "got " + f.path().getFileName());
                        }
                    }
                    yield d.split(Fsdd.IS_TEST);
                }
                case "manifest" -> manifestSplit(d);
                case "speaker" -> SpeakerSplit.bySpeaker(d, o.speakerFraction(), Seeds.mix(o.seed(), STREAM_SPLIT));
                case "files" -> filesSplit(d, Seeds.mix(o.seed(), STREAM_SPLIT));
                default -> throw UserError.usage("--split: expected one of " + SPLITS + ", got '" + split + "'");
            };
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--split " + split + ": " + e.getMessage()
                    + (split.equals("speaker") ? " (give speakers with a manifest column or --speaker-pattern)" : ""));
        }
    }

    private static AudioFolderDataset.Split manifestSplit(AudioFolderDataset d) {
        for (AudioFile f : d.files()) {
            String s = f.groups().get("split");
            if (s != null && !s.equals("train") && !s.equals("test")) {
                throw new IllegalArgumentException("the split column must be train, test or empty, got '" + s + "' for "
                        + f.path());
            }
        }
        return d.split(f -> "test".equals(f.groups().get("split")));
    }

    private static AudioFolderDataset withoutSpeaker(AudioFolderDataset d, String speaker) {
        try {
            SpeakerSplit.speakers(d);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--holdout-speaker: " + e.getMessage());
        }
        return d.filter(f -> !f.group(SpeakerSplit.GROUP).equals(speaker));
    }

    private static void requireLabels(AudioFolderDataset d, String what) {
        for (AudioFile f : d.files()) {
            if (f.labelIndex() < 0) {
                throw UserError.data(what + " must be labelled, but " + f.path() + " has no label", null);
            }
        }
    }

    /** The layer choice's held-out part and how it was chosen. */
    private record LayerChoice(boolean[] heldOut, String text) {
    }

    private static LayerChoice layerChoice(AudioFolderDataset train, String split, Options o) {
        boolean[] h = new boolean[train.size()];
        if (split.equals("take")) {
            for (int i = 0; i < h.length; i++) {
                h[i] = Integer.parseInt(train.get(i).group("index")) < 10;
            }
            return new LayerChoice(h, "takes 5-9 of train after fitting on takes 10-49");
        }
        List<String> speakers = speakersOrEmpty(train);
        if (speakers.size() >= 2) {
            Set<String> held = new HashSet<>(SpeakerSplit.testSpeakers(speakers, o.speakerFraction(),
                    Seeds.mix(o.seed(), STREAM_LAYER_CHOICE)));
            for (int i = 0; i < h.length; i++) {
                h[i] = held.contains(train.get(i).group(SpeakerSplit.GROUP));
            }
            return new LayerChoice(h, "train speakers " + new java.util.TreeSet<>(held) + " after fitting on the others");
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(o.seed(), STREAM_LAYER_CHOICE));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(rng.nextLong()));
        int n = Math.max(1, Math.min(h.length - 1, (int) Math.round(LAYER_CHOICE_FILE_FRACTION * h.length)));
        for (int i = 0; i < n; i++) {
            h[order.get(i)] = true;
        }
        return new LayerChoice(h, "a seeded fifth of the train files after fitting on the rest");
    }

    private static List<String> speakersOrEmpty(AudioFolderDataset d) {
        try {
            return SpeakerSplit.speakers(d);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}
