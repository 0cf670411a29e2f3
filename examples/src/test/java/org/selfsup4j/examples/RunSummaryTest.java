package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static Map<String, Object> results() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", "simclr");
        r.put("dataset", "synthetic-shapes/train");
        r.put("train_images", 2000);
        r.put("eval_images", 500);
        r.put("steps", 248L);
        r.put("epochs", 8.0);
        r.put("train_seconds", 93.8);
        r.put("random_init_knn_top1", 0.22);
        r.put("knn_top1", 0.506);
        r.put("random_init_linear_top1", 0.684);
        r.put("linear_top1", 0.864);
        return r;
    }

    @Test
    void summary_repeatsTheDivergenceMonitorsWarnings_andCountsSkippedSteps() {
        Map<String, Object> r = results();
        String collapse = "Step 120: the embedding std (2.1e-05) has stayed below 0.00100 for 50 steps: the encoder maps"
                + " every input to nearly the same point (collapse).";
        r.put("warnings", List.of(collapse));
        r.put("skipped_steps", List.of(Map.of("step", 7, "reason", "NON_FINITE_LOSS")));
        String s = RunSummary.of(r, Path.of("runs", "simclr"), true).text();
        assertTrue(s.contains("WARNING       " + collapse), s);
        assertTrue(s.contains("1 step(s) skipped"), s);
        r.put("warnings", List.of());
        r.put("skipped_steps", List.of());
        assertTrue(!RunSummary.of(r, Path.of("runs", "simclr"), true).text().contains("WARNING"));
    }

    @Test
    void summary_showsBothProbesWithGain_filesAndNextCommand() {
        String s = RunSummary.of(results(), Path.of("runs", "simclr"), true).text();
        assertTrue(s.contains("simclr on synthetic-shapes/train (generated)"), s);
        assertTrue(s.contains("248 steps (8.0 epochs) in 94 s"), s);
        assertTrue(s.contains("random init 0.220 -> pretrained 0.506  (+28.6 points)"), s);
        assertTrue(s.contains("random init 0.684 -> pretrained 0.864  (+18.0 points)"), s);
        assertTrue(s.contains(Path.of("runs", "simclr", "results.json").toString()), s);
        assertTrue(s.contains("curves.png"), s);
        assertTrue(s.contains("./pretrain --data <your image folder>"), s);
    }

    @Test
    void summary_encoderFile_shownWhenTheRunWroteOne() {
        assertTrue(!RunSummary.of(results(), Path.of("o"), false).text().contains("encoder "));
        Map<String, Object> r = results();
        r.put("encoder_file", Path.of("runs", "simclr", "encoder.selfsup4j").toString());
        String s = RunSummary.of(r, Path.of("runs", "simclr"), true).text();
        assertTrue(s.contains("  encoder       " + Path.of("runs", "simclr", "encoder.selfsup4j")), s);
        assertTrue(s.contains("  embed         ImageEncoder.load(Path.of(\"" + Path.of("runs", "simclr",
                "encoder.selfsup4j") + "\")).embed(image)"), s);
        assertTrue(s.contains("\n                ./selfsup4j embed --encoder " + Path.of("runs", "simclr",
                "encoder.selfsup4j") + " <image folder> --out embeddings.csv\n"), s);
    }

    @Test
    void summary_lossShowsNegativeGain() {
        Map<String, Object> r = results();
        r.put("linear_top1", 0.60);
        assertTrue(RunSummary.of(r, Path.of("o"), false).text().contains("(-8.4 points)"));
    }

    @Test
    void summary_missingField_saysWhich() {
        Map<String, Object> r = results();
        r.remove("knn_top1");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunSummary.of(r, Path.of("o"), false));
        assertTrue(e.getMessage().contains("knn_top1"), e.getMessage());
    }
}
