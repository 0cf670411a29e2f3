package org.selfsup4j.core.train;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.selfsup4j.core.Checks;

/**
 * Writes one CSV row per training step, beside a run's {@code results.json}, so that a run's
 * curves can be read while it trains (as solo-learn's and fairseq's per-update logs are).
 *
 * <p>Columns: {@value #FIXED_HEADER}, then the objective's own figures in name order (for
 * wav2vec 2.0 {@code code_perplexity}, {@code prob_perplexity}, {@code accuracy}, ...). The
 * objective's figures are fixed by the header: the first step's names, or on resume those of the
 * file's header. {@code embedding_std} is the collapse monitor's figure ({@link CollapseMonitor});
 * {@code data_wait_ms} the time the loop waited for the step's batch, as told by
 * {@link #dataWait(long)} (0 when nobody told).
 *
 * <p>Every row is flushed when written, so a killed run keeps the rows of its steps. On resume from
 * step {@code s} the rows of steps {@code >= s} (trained after the checkpoint, trained again now)
 * are dropped first, by an atomic rewrite, so the file holds each step once.
 */
public final class StepMetricsCsv implements TrainingListener, Closeable {

    /** The file name a run uses beside {@code results.json}. */
    public static final String FILE_NAME = "metrics.csv";

    /** The columns every file starts with. */
    public static final String FIXED_HEADER =
            "step,epoch,loss,skipped,learning_rate,embedding_std,steps_per_second,data_wait_ms";

    private static final int FIXED_COLUMNS = FIXED_HEADER.split(",").length;

    private final Path file;
    private BufferedWriter out;
    private List<String> metricNames;
    private long pendingWaitNanos;

    private StepMetricsCsv(Path file, List<String> metricNames) throws IOException {
        this.file = file;
        this.metricNames = metricNames;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Opens the metrics file of a run that starts at {@code fromStep}: a new file for a new run (0),
     * the rows of steps before {@code fromStep} kept for a resumed one.
     *
     * @param file the CSV file (its folder must exist)
     * @param fromStep the first step this run trains, {@code >= 0}
     * @return the writer; add it to the trainer with {@link Trainer#addListener}
     * @throws IOException when the file cannot be read or written
     */
    public static StepMetricsCsv open(Path file, long fromStep) throws IOException {
        Checks.notNull("StepMetricsCsv", "file", file);
        Checks.nonNegative("StepMetricsCsv", "fromStep", fromStep);
        List<String> kept = fromStep > 0 && Files.isRegularFile(file) ? rowsBefore(file, fromStep) : List.of();
        List<String> metrics = kept.isEmpty() ? null : metricNamesOf(kept.get(0), file);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return new StepMetricsCsv(file, metrics);
    }

    /** The header and the rows whose step is below {@code fromStep}; a torn last line is dropped. */
    private static List<String> rowsBefore(Path file, long fromStep) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        if (lines.isEmpty() || !lines.get(0).startsWith(FIXED_HEADER)) {
            return kept;
        }
        kept.add(lines.get(0));
        int columns = lines.get(0).split(",", -1).length;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length == columns && isStep(cells[0]) && Long.parseLong(cells[0]) < fromStep) {
                kept.add(line);
            }
        }
        return kept;
    }

    private static boolean isStep(String cell) {
        return !cell.isEmpty() && cell.length() < 19 && cell.chars().allMatch(Character::isDigit);
    }

    private static List<String> metricNamesOf(String header, Path file) {
        String[] cells = header.split(",", -1);
        return List.copyOf(Arrays.asList(cells).subList(FIXED_COLUMNS, cells.length));
    }

    /**
     * Tells the writer how long the loop waited for the next step's batch; it goes into that step's
     * row. Calls before one step add up.
     *
     * @param nanos the wait, {@code >= 0}
     */
    public void dataWait(long nanos) {
        pendingWaitNanos += Math.max(0, nanos);
    }

    @Override
    public void onStep(StepReport r) {
        try {
            if (metricNames == null) {
                metricNames = List.copyOf(new TreeSet<>(r.metrics().keySet()));
                out.write(FIXED_HEADER);
                for (String name : metricNames) {
                    out.write(',');
                    out.write(name);
                }
                out.newLine();
            }
            out.write(row(r, pendingWaitNanos / 1e6, metricNames));
            out.newLine();
            out.flush();
            pendingWaitNanos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("could not append step " + r.step() + " to " + file, e);
        }
    }

    /** One row; a figure the objective did not report at this step is an empty cell. */
    static String row(StepReport r, double dataWaitMs, List<String> metricNames) {
        StringBuilder b = new StringBuilder(128);
        b.append(r.step()).append(',').append(r.epoch()).append(',').append(r.loss()).append(',')
                .append(r.skipped() ? 1 : 0).append(',').append(r.learningRate()).append(',')
                .append(r.embeddingStd()).append(',').append(r.stepsPerSecond()).append(',').append(dataWaitMs);
        Map<String, Double> metrics = r.metrics();
        for (String name : metricNames) {
            b.append(',');
            Double v = metrics.get(name);
            if (v != null) {
                b.append(v.doubleValue());
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
