package org.selfsup4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;

/**
 * An output folder ({@code --out}) that holds exactly one run, identified by {@code run.json}.
 *
 * <p>{@code run.json} is written (atomically, through {@link ResultsFile}) when a run starts, before
 * any data is read, so a run killed before its {@code results.json} is still identifiable: it holds
 * the command, the run id (a random UUID drawn at the start), the options that define the run and
 * their hash, the status ({@code running} / {@code finished}), the planned step count and the
 * per-epoch curves so far. Every checkpoint of the run carries the same id
 * ({@link CheckpointMetadata#RUN_ID}), so checkpoints of another run are refused, not mixed in.
 *
 * <p>A new run refuses a folder that holds another run (a {@code run.json}, {@code results.json} or a
 * checkpoint); {@link Mode#RESUME} continues the run in the folder when the options are the same (and
 * says which differ); {@link Mode#OVERWRITE} deletes the old run's files first. Temporary files of
 * writes a kill interrupted are removed whatever the mode.
 */
public final class RunFolder {
    /** The run's identity file. */
    public static final String RUN_FILE = "run.json";
    /** The results of a finished run. */
    public static final String RESULTS_FILE = "results.json";
    /** The checkpoint subfolder. */
    public static final String CHECKPOINTS = "checkpoints";
    /** Status of a run in progress (or killed). */
    public static final String RUNNING = "running";
    /** Status of a run that wrote its results. */
    public static final String FINISHED = "finished";

    /** What the command was asked to do with the folder. */
    public enum Mode {
        /** Start a run; refuse a folder holding another one. */
        NEW,
        /** Delete the run in the folder, then start a new one. */
        OVERWRITE,
        /** Continue the run in the folder. */
        RESUME,
        /** Re-score the run in the folder without training. */
        REEVALUATE
    }

    private final Path dir;
    private final Map<String, Object> record;

    private RunFolder(Path dir, Map<String, Object> record) {
        this.dir = dir;
        this.record = record;
    }

    /**
     * Opens {@code dir} for a command: checks it, removes stray temporary files, and writes
     * {@code run.json} (new, or updated with the resumption).
     *
     * @param dir the output folder (created if absent)
     * @param command the command's name, e.g. {@code pretrain}
     * @param options the options that define the run, as strings (paths absolute)
     * @param mode what to do
     * @return the folder
     * @throws UserError when the folder holds another run (new), or no run or a different one (resume)
     * @throws IOException when the folder cannot be read or written
     */
    public static RunFolder open(Path dir, String command, Map<String, String> options, Mode mode) throws IOException {
        Files.createDirectories(dir);
        removeStrayTemporaries(dir);
        if (mode == Mode.OVERWRITE) {
            clear(dir);
        }
        Path runFile = dir.resolve(RUN_FILE);
        if (mode == Mode.NEW || mode == Mode.OVERWRITE) {
            if (holdsRun(dir)) {
                throw UserError.usage(dir + " holds another run (" + describe(dir) + "); pass --resume to continue it, "
                        + "--overwrite to replace it, or choose another --out");
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("command", command);
            r.put("run_id", UUID.randomUUID().toString());
            r.put("options_hash", hash(options));
            r.put("options", new LinkedHashMap<>(options));
            r.put("status", RUNNING);
            r.put("started_at", Instant.now().toString());
            RunFolder f = new RunFolder(dir, r);
            f.save();
            return f;
        }
        String verb = mode == Mode.RESUME ? "resume" : "re-evaluate";
        if (mode == Mode.REEVALUATE && !Files.isRegularFile(runFile) && Files.isRegularFile(dir.resolve(RESULTS_FILE))) {
            // a run finished before runs were recorded: no id to check, so its checkpoints must have none
            // either (the caller also checks the checkpoint's step against results.json)
            Map<String, Object> legacy = new LinkedHashMap<>();
            legacy.put("command", command);
            legacy.put("status", FINISHED);
            return new RunFolder(dir, legacy);
        }
        if (!Files.isRegularFile(runFile)) {
            throw UserError.usage("cannot " + verb + ": " + dir + " has no " + RUN_FILE + " ("
                    + (holdsRun(dir) ? "its files were written before runs were recorded; use --overwrite"
                    : "no run was started there") + ")");
        }
        Map<String, Object> r = ResultsFile.read(runFile);
        if (!command.equals(r.get("command"))) {
            throw UserError.usage("cannot " + verb + ": " + dir + " holds a run of '" + r.get("command") + "', not '"
                    + command + "'");
        }
        List<String> diff = differences(asStrings(r.get("options")), options);
        if (!diff.isEmpty()) {
            throw UserError.usage("cannot " + verb + " run " + r.get("run_id") + " in " + dir
                    + " with other options: " + String.join(", ", diff) + " (run.json has the run's options)");
        }
        RunFolder f = new RunFolder(dir, r);
        if (mode == Mode.RESUME) {
            @SuppressWarnings("unchecked")
            List<Object> resumed = (List<Object>) r.computeIfAbsent("resumed_at", k -> new ArrayList<>());
            resumed.add(Instant.now().toString());
            r.put("status", RUNNING);
            f.save();
        }
        return f;
    }

    /**
     * {@code base} if it holds no run, else the first of {@code base-2}, {@code base-3}, ... that does
     * not: the default folder of a command run twice without {@code --out}.
     */
    public static Path firstFree(Path base) {
        Path p = base;
        for (int i = 2; holdsRun(p); i++) {
            p = base.resolveSibling(base.getFileName() + "-" + i);
        }
        return p;
    }

    /** Whether {@code dir} holds a run's files: run.json, results.json or a checkpoint. */
    public static boolean holdsRun(Path dir) {
        return Files.exists(dir.resolve(RUN_FILE)) || Files.exists(dir.resolve(RESULTS_FILE))
                || !new CheckpointStore(dir.resolve(CHECKPOINTS), 1).list().isEmpty();
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The checkpoint subfolder. */
    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /** The run id, drawn when the run started; null for a finished run from before run ids. */
    public String runId() {
        return (String) record.get("run_id");
    }

    /** Metadata every checkpoint of this run carries: its id and options hash. */
    public Map<String, String> checkpointMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CheckpointMetadata.RUN_ID, runId());
        m.put(CheckpointMetadata.RUN_OPTIONS_HASH, (String) record.get("options_hash"));
        return m;
    }

    /** A field of run.json, or null. */
    public Object get(String key) {
        return record.get(key);
    }

    /** Sets a field of run.json (call {@link #save} to write it). */
    public void put(String key, Object value) {
        record.put(key, value);
    }

    /** Writes run.json atomically. */
    public void save() throws IOException {
        ResultsFile.write(dir.resolve(RUN_FILE), record);
    }

    /** Marks the run finished and writes run.json. */
    public void finish() throws IOException {
        record.put("status", FINISHED);
        record.put("finished_at", Instant.now().toString());
        save();
    }

    /**
     * The newest checkpoint that verifies, checked to belong to this run.
     *
     * @param store the run's checkpoint store
     * @return empty when the run has no checkpoint yet (killed before its first)
     * @throws UserError when the checkpoint belongs to another run
     * @throws IOException when a checkpoint cannot be read
     */
    public Optional<Checkpoint> latestCheckpoint(CheckpointStore store) throws IOException {
        Optional<Checkpoint> c = store.loadLatest();
        if (c.isPresent()) {
            String id = c.get().metadata().get(CheckpointMetadata.RUN_ID);
            if (runId() == null && id != null) {
                throw UserError.usage("the newest checkpoint in " + store.dir() + " belongs to run " + id
                        + ", but " + dir + " has no " + RUN_FILE + " of that run; use --overwrite to start afresh");
            }
            if (runId() != null && !runId().equals(id)) {
                throw UserError.usage("the newest checkpoint in " + store.dir() + " belongs to "
                        + (id == null ? "a run without a run id" : "run " + id) + ", not to run " + runId()
                        + " of " + dir.resolve(RUN_FILE) + "; use --overwrite to start afresh");
            }
        }
        return c;
    }

    /** The options of {@code a} (the run) that {@code b} (the command line) gives differently. */
    public static List<String> differences(Map<String, String> a, Map<String, String> b) {
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            String now = b.get(e.getKey());
            if (!e.getValue().equals(now)) {
                diff.add(e.getKey() + " " + e.getValue() + " (run) vs " + now + " (now)");
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                diff.add(k + " absent (run) vs " + b.get(k) + " (now)");
            }
        }
        return diff;
    }

    private static Map<String, String> asStrings(Object options) {
        Map<String, String> m = new LinkedHashMap<>();
        if (options instanceof Map<?, ?> o) {
            o.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        }
        return m;
    }

    /** A short hash of the options (SHA-256 of their JSON, first 16 hex digits). */
    static String hash(Map<String, String> options) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    ResultsFile.toJson(options).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("RunFolder.hash: " + e, e);
        }
    }

    private static String describe(Path dir) {
        Path runFile = dir.resolve(RUN_FILE);
        if (Files.isRegularFile(runFile)) {
            try {
                Map<String, Object> r = ResultsFile.read(runFile);
                return "run " + r.get("run_id") + ", " + r.get("command") + " " + asStrings(r.get("options"))
                        .getOrDefault("method", "?") + ", " + r.get("status");
            } catch (IOException e) {
                return "an unreadable " + RUN_FILE;
            }
        }
        return "results or checkpoints of an earlier run";
    }

    /** Deletes the files a run writes: run.json, results, plots, targets and checkpoints. */
    private static void clear(Path dir) throws IOException {
        for (String name : List.of(RUN_FILE, RESULTS_FILE, "curves.png", "loss.png", "kmeans-mfcc.ckpt")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        CheckpointStore store = new CheckpointStore(dir.resolve(CHECKPOINTS), 1);
        for (Path p : store.list()) {
            Files.deleteIfExists(p);
        }
    }

    /** Temporary files of atomic writes that a kill interrupted: run.json's, results.json's, checkpoints'. */
    private static void removeStrayTemporaries(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*" + ResultsFile.TEMP_SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.equals("." + RUN_FILE + ResultsFile.TEMP_SUFFIX)
                        || n.equals("." + RESULTS_FILE + ResultsFile.TEMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        new CheckpointStore(dir.resolve(CHECKPOINTS), 1).removeStrayTemporaries();
    }
}
