package org.selfsup4j.examples.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.eval.KnnClassifier;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.core.eval.LinearProbeResult;
import org.selfsup4j.examples.ResultsFile;
import org.selfsup4j.examples.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code selfsup4j evaluate}: kNN and linear-probe top-1 of an encoder file's frozen embeddings on a
 * labelled folder (class subfolders, {@link LabelledFiles}): the probes of core.eval with their
 * defaults, as the pretraining commands score their runs ({@link KnnClassifier} k=200 T=0.07;
 * {@link LinearProbe}: L-BFGS softmax regression, standardised features, L2 strength chosen on a
 * held-out fifth of the training part). Without {@code --eval-data}, a seeded stratified fifth of
 * {@code --data} is the test part.
 */
@Command(name = "evaluate",
        description = "kNN and linear-probe top-1 of an encoder file on a labelled folder (class subfolders).")
final class EvaluateCommand extends ToolCommand {
    /** The fraction of {@code --data} held out for testing when there is no {@code --eval-data}. */
    static final double HELD_OUT = 0.2;

    @Mixin
    EncoderOption encoder;

    @Option(names = "--data", required = true, paramLabel = "<folder>", description = "training files: one "
            + "subfolder per class (the kNN bank and the linear probe's fit)")
    Path data;

    @Option(names = "--eval-data", paramLabel = "<folder>", description = "test files, the same class subfolders; "
            + "default: a seeded stratified 20%% of --data")
    Path evalData;

    @Option(names = "--seed", description = "seed of the split of --data (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--out", paramLabel = "<file.json>", description = "also write the scores to this JSON file")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null && !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw UserError.usage("--out " + out + ": expected a file name ending in .json");
        }
        Embedder e = encoder.open();
        LabelledFiles train = LabelledFiles.read("--data", data, null, e);
        LabelledFiles test;
        if (evalData != null) {
            test = LabelledFiles.read("--eval-data", evalData, train.classes(), e);
        } else {
            List<LabelledFiles> parts = train.split(HELD_OUT, seed);
            train = parts.get(0);
            test = parts.get(1);
        }
        requireTwoClasses("--data", data, train);
        requireTwoClasses(evalData == null ? "--data" : "--eval-data", evalData == null ? data : evalData, test);
        long t0 = System.nanoTime();
        INDArray ft = Nd4j.create(e.embedAll(train.files()));
        INDArray fe = Nd4j.create(e.embedAll(test.files()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double knn = new KnnClassifier().accuracy(ft, train.labels(), fe, test.labels());
        LinearProbeResult linear = LinearProbe.withDefaults().evaluate(ft, train.labels(), fe, test.labels());
        Map<String, Object> r = results(e, train, test, knn, linear);
        System.out.print(table(r, seconds));
        if (out != null) {
            ResultsFile.write(OutFile.createParent(out), r);
            System.out.println("Wrote " + out);
        }
        return 0;
    }

    private static void requireTwoClasses(String option, Path folder, LabelledFiles part) {
        long classes = Arrays.stream(part.labels()).distinct().count();
        if (classes < 2) {
            throw UserError.data(option + " " + folder + ": the probes need files of at least 2 classes in the "
                    + "training and the test part, got " + part.size() + " files of " + classes + " class(es)", null);
        }
    }

    private Map<String, Object> results(Embedder e, LabelledFiles train, LabelledFiles test, double knn,
            LinearProbeResult linear) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("encoder_file", encoder.file.toString());
        r.put("modality", e.modality());
        r.put("dim", e.dim());
        r.put("data", data.toString());
        r.put("eval_data", evalData == null ? null : evalData.toString());
        r.put("split", evalData == null ? "stratified, " + Math.round(HELD_OUT * 100) + "% of --data held out, seed "
                + seed : "--eval-data");
        r.put("train_files", train.size());
        r.put("eval_files", test.size());
        r.put("classes", train.classes());
        r.put("knn_top1", knn);
        r.put("linear_top1", linear.testAccuracy());
        r.put("linear_lambda", linear.lambda());
        r.put("evaluation", "frozen embeddings of the encoder file; kNN: org.selfsup4j.core.eval.KnnClassifier k="
                + KnnClassifier.DEFAULT_K + " T=" + KnnClassifier.DEFAULT_TEMPERATURE + "; linear: "
                + "org.selfsup4j.core.eval.LinearProbe defaults (L-BFGS multinomial logistic regression, L2 strength "
                + "chosen on a held-out 20% of the training part)");
        return r;
    }

    private static String table(Map<String, Object> r, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Encoder %s (%s, %d dimensions) on %s%n  %d training / %d test files, "
                        + "%d classes (%s); embedded in %.1f s%n", r.get("encoder_file"), r.get("modality"), r.get("dim"),
                r.get("eval_data") == null ? r.get("data") : r.get("data") + " and " + r.get("eval_data"),
                r.get("train_files"), r.get("eval_files"), ((List<?>) r.get("classes")).size(), r.get("split"),
                seconds));
        b.append(String.format(Locale.ROOT, "  %-8s %s%n", "probe", "top-1"));
        b.append(String.format(Locale.ROOT, "  %-8s %.4f   (k=%d, T=%s)%n", "kNN", r.get("knn_top1"),
                KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE));
        b.append(String.format(Locale.ROOT, "  %-8s %.4f   (L-BFGS softmax, L2 %s)%n", "linear", r.get("linear_top1"),
                r.get("linear_lambda")));
        return b.toString();
    }
}
