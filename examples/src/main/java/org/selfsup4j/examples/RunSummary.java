package org.selfsup4j.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The few lines a person reads at the end of a pretraining run: what ran on what, for how long, the
 * random-init and pretrained scores side by side with the gain, where the files are, and what to try
 * next. Built from the run's results.json fields, so the summary and the file never disagree.
 *
 * @param text the summary, ending with a newline
 */
record RunSummary(String text) {

    /**
     * @param results the run's results.json fields
     * @param out the run's output folder
     * @param generatedData whether the run used the generated set (then the next step is the user's own folder)
     * @return the summary
     */
    static RunSummary of(Map<String, Object> results, Path out, boolean generatedData) {
        StringBuilder b = new StringBuilder();
        String rule = "-".repeat(78);
        b.append('\n').append(rule).append('\n');
        line(b, "method", results.get("method") + " on " + results.get("dataset")
                + (generatedData ? " (generated)" : ""));
        line(b, "data", String.format(Locale.ROOT, "%,d training / %,d evaluation images",
                number(results, "train_images").longValue(), number(results, "eval_images").longValue()));
        line(b, "training", String.format(Locale.ROOT, "%,d steps (%s epochs) in %.0f s",
                number(results, "steps").longValue(), results.get("epochs"), number(results, "train_seconds")
                        .doubleValue()));
        if (results.containsKey("knn_top1") || results.containsKey("random_init_knn_top1")) {
            score(b, "kNN top-1", number(results, "random_init_knn_top1").doubleValue(),
                    number(results, "knn_top1").doubleValue());
            score(b, "linear top-1", number(results, "random_init_linear_top1").doubleValue(),
                    number(results, "linear_top1").doubleValue());
        } else {
            line(b, "probes", "skipped: the images have no labels (kNN and linear probes need class subfolders)");
        }
        // the log's warnings scroll past under the progress bar: repeat them where the run ends
        if (results.get("warnings") instanceof List<?> warnings) {
            for (Object w : warnings) {
                line(b, "WARNING", String.valueOf(w));
            }
        }
        if (results.get("skipped_steps") instanceof List<?> skipped && !skipped.isEmpty()) {
            line(b, "WARNING", skipped.size() + " step(s) skipped by the non-finite guard (see skipped_steps in "
                    + "results.json)");
        }
        line(b, "results", out.resolve("results.json").toString());
        line(b, "curves", out.resolve("curves.png").toString());
        if (results.get("metrics_csv") != null) {
            line(b, "per step", String.valueOf(results.get("metrics_csv")));
        }
        line(b, "checkpoints", out.resolve("checkpoints") + "/");
        if (results.get("encoder_file") != null) {
            line(b, "encoder", String.valueOf(results.get("encoder_file")));
        }
        line(b, "next", generatedData
                ? "./pretrain --data <your image folder> (class subfolders, or a flat folder)"
                : "./pretrain --help (methods, backbones, budgets)");
        if (results.get("encoder_file") != null) {
            line(b, "embed", "ImageEncoder.load(Path.of(\"" + results.get("encoder_file")
                    + "\")).embed(image)");
            // the same from the shell, with the program the run came from
            line(b, "", "./selfsup4j embed --encoder " + results.get("encoder_file")
                    + " <image folder> --out embeddings.csv");
        }
        b.append(rule).append('\n');
        return new RunSummary(b.toString());
    }

    private static Number number(Map<String, Object> results, String key) {
        Object v = results.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("RunSummary: results field " + key + " must be a number, got " + v);
        }
        return n;
    }

    private static void score(StringBuilder b, String name, double random, double pretrained) {
        line(b, name, String.format(Locale.ROOT, "random init %.3f -> pretrained %.3f  (%+.1f points)", random,
                pretrained, 100 * (pretrained - random)));
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-13s %s%n", name, value));
    }
}
