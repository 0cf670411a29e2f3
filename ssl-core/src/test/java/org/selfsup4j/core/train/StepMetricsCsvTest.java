package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Flatten;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Sequential;

/** The per-step metrics file: one row per step with the trainer's figures, resume without doubled steps. */
class StepMetricsCsvTest {
    private static final long SEED = 11;

    private static StepReport report(long step, Map<String, Double> metrics) {
        return new StepReport(step, 10, step / 4, 1.5 + step, false, 1e-3 * (step + 1), 2.0, 4.0, 0.25, metrics);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void rows_holdTheTrainersFigures_theDataWait_andTheObjectivesMetricsInNameOrder(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve(StepMetricsCsv.FILE_NAME);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("temperature", 1.75);
        metrics.put("code_perplexity", 31.5);
        try (StepMetricsCsv csv = StepMetricsCsv.open(file, 0)) {
            csv.dataWait(2_000_000);
            csv.dataWait(500_000);
            csv.onStep(report(0, metrics));
            csv.onStep(report(1, Map.of("temperature", 1.5)));
        }
        List<String> lines = lines(file);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals(StepMetricsCsv.FIXED_HEADER + ",code_perplexity,temperature", lines.get(0));
        assertEquals("0,0,1.5,0,0.001,0.25,2.0,2.5,31.5,1.75", lines.get(1));
        // no wait told before step 1; its code perplexity was not reported: an empty cell
        assertEquals("1,0,2.5,0,0.002,0.25,2.0,0.0,,1.5", lines.get(2));
    }

    @Test
    void resume_dropsTheStepsFromTheCheckpointOn_keepsTheHeader_andATornLineGoes(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve(StepMetricsCsv.FILE_NAME);
        try (StepMetricsCsv csv = StepMetricsCsv.open(file, 0)) {
            for (long s = 0; s < 6; s++) {
                csv.onStep(report(s, Map.of("accuracy", 0.5)));
            }
        }
        Files.writeString(file, "6,1,7.5,0", java.nio.file.StandardOpenOption.APPEND); // a kill inside a write
        try (StepMetricsCsv csv = StepMetricsCsv.open(file, 4)) {
            // the resumed objective reports another figure too: the header keeps the file's columns
            csv.onStep(report(4, Map.of("accuracy", 0.75, "other", 9.0)));
        }
        List<String> lines = lines(file);
        assertEquals(StepMetricsCsv.FIXED_HEADER + ",accuracy", lines.get(0));
        List<String> steps = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            steps.add(line.split(",")[0]);
        }
        assertEquals(List.of("0", "1", "2", "3", "4"), steps);
        assertTrue(lines.get(5).endsWith(",0.75"), lines.get(5));
        assertFalse(Files.exists(dir.resolve(StepMetricsCsv.FILE_NAME + ".tmp")));
    }

    @Test
    void aNewRunReplacesAnOldFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(StepMetricsCsv.FILE_NAME);
        Files.writeString(file, StepMetricsCsv.FIXED_HEADER + "\n0,0,1,0,1,1,1,0\n1,0,1,0,1,1,1,0\n");
        try (StepMetricsCsv csv = StepMetricsCsv.open(file, 0)) {
            csv.onStep(report(0, Map.of()));
        }
        assertEquals(2, lines(file).size());
    }

    @Test
    void asATrainerListener_writesOneRowPerStepWithTheReportedLoss(@TempDir Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(SEED);
        int in = TwoViewData.SIZE * TwoViewData.SIZE;
        Encoder encoder = Encoder.of(new Sequential(new Flatten(), new Linear(in, 8, true, DataType.FLOAT, r)));
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 5), encoder, new MatchingViewsObjective(0.5),
                new PlainSgd(0.05));
        Path file = dir.resolve(StepMetricsCsv.FILE_NAME);
        List<StepReport> reports = new ArrayList<>();
        try (StepMetricsCsv csv = StepMetricsCsv.open(file, 0)) {
            trainer.addListener(csv);
            trainer.addListener(reports::add);
            trainer.fit(new TwoViewData(4, 8, SEED));
        }
        List<String> lines = lines(file);
        assertEquals(6, lines.size());
        for (int s = 0; s < 5; s++) {
            String[] cells = lines.get(s + 1).split(",");
            assertEquals(s, Long.parseLong(cells[0]));
            assertEquals(reports.get(s).loss(), Double.parseDouble(cells[2]));
            assertEquals(reports.get(s).embeddingStd(), Double.parseDouble(cells[5]));
        }
    }
}
