package org.selfsup4j.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.selfsup4j.core.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of numbered checkpoints, {@code step-00000010.ckpt}, that keeps the newest
 * {@code keepLast} and resumes from the newest one that verifies.
 *
 * <p>Files are written with {@link CheckpointFormat#write} (atomic replace). Anything else in the
 * directory is ignored by {@link #list()}; the temporary files a crash mid-write leaves behind
 * ({@code .step-...tmp}) are deleted only by {@link #removeStrayTemporaries()}, which a run calls
 * when it starts (no save of this store can be in flight then). "Newest" means the largest step, not the latest
 * modification time. One store per directory: two processes saving into the same directory is not
 * supported. A record: the directory and the number kept are all it holds, so two stores of one
 * directory and count are equal.
 *
 * @param dir      directory holding the checkpoints; created on the first {@link #save}
 * @param keepLast how many of the newest checkpoints {@link #save} keeps, at least 1
 */
public record CheckpointStore(Path dir, int keepLast) {
    /** File names this store writes and lists: {@code step-<digits>.ckpt}. */
    public static final Pattern FILE_NAME = Pattern.compile("step-(\\d{1,19})\\.ckpt");
    /**
     * Temporary files of {@link CheckpointFormat#write} for this store's names:
     * {@code .step-<digits>.ckpt.<hex>.tmp}.
     */
    public static final Pattern TEMP_FILE_NAME = Pattern.compile("\\.step-\\d{1,19}\\.ckpt\\.[0-9a-f]+\\.tmp");

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    /** Checks the directory and the count. */
    public CheckpointStore {
        Checks.notNull("CheckpointStore", "dir", dir);
        Checks.positive("CheckpointStore", "keepLast", keepLast);
    }

    /** The file name used for {@code step}: {@code step-%08d.ckpt}. */
    public static String fileName(long step) {
        return String.format("step-%08d.ckpt", step);
    }

    /**
     * Writes {@code c} as the checkpoint of {@code step} (replacing one of the same step atomically),
     * then deletes all but the newest {@link #keepLast()} checkpoints.
     *
     * @return the file written
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public Path save(long step, Checkpoint c) throws IOException {
        Checks.nonNegative("CheckpointStore.save", "step", step);
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName(step));
        CheckpointFormat.write(file, c);
        List<Path> all = list();
        for (int i = 0; i < all.size() - keepLast; i++) {
            Path old = all.get(i);
            if (!old.equals(file)) {
                Files.deleteIfExists(old);
                LOG.debug("Deleted old checkpoint {}", old);
            }
        }
        return file;
    }

    /**
     * The checkpoints in the directory, oldest (smallest step) first; empty if the directory does
     * not exist. Files are not verified here.
     *
     * @throws UncheckedIOException if the directory cannot be read
     */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) {
            return Collections.emptyList();
        }
        List<Path> found = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    try {
                        steps.add(Long.parseLong(m.group(1)));
                        found.add(p);
                    } catch (NumberFormatException e) {
                        LOG.warn("Ignoring {}: step number out of range", p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CheckpointStore.list: cannot read " + dir, e);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(steps::get));
        List<Path> sorted = new ArrayList<>(found.size());
        for (int i : order) {
            sorted.add(found.get(i));
        }
        return sorted;
    }

    /**
     * Deletes the temporary files that saves killed mid-write left in the directory (they are never
     * renamed into place, so nothing reads them; a killed run leaves one per kill). Call it when a
     * run starts, before its first save: a save in flight in another process would lose its file.
     *
     * @return how many files were deleted
     * @throws IOException if the directory cannot be listed or a file cannot be deleted
     */
    public int removeStrayTemporaries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (TEMP_FILE_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} temporary file(s) of interrupted checkpoint saves in {}", removed, dir);
        }
        return removed;
    }

    /** Reads and verifies {@code file} (see {@link CheckpointFormat#read}). */
    public Checkpoint load(Path file) throws IOException {
        return CheckpointFormat.read(file);
    }

    /** The newest checkpoint file, unverified. */
    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * The newest checkpoint that verifies. Corrupt newer files (a crash, a full disk, bit rot) are
     * logged at WARN and skipped, and left on disk for inspection.
     *
     * @return empty if there is no checkpoint, or none verifies
     * @throws IOException if a file exists but cannot be read for a reason other than corruption
     */
    public Optional<Checkpoint> loadLatest() throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path p = all.get(i);
            try {
                return Optional.of(CheckpointFormat.read(p));
            } catch (CorruptCheckpointException e) {
                LOG.warn("Skipping corrupt checkpoint: {}", e.getMessage());
            } catch (NoSuchFileException e) {
                LOG.warn("Checkpoint {} disappeared while loading; trying an older one", p);
            }
        }
        return Optional.empty();
    }
}
