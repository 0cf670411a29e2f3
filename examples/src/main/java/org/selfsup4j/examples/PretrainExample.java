package org.selfsup4j.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.augment.loader.BatchLoader;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.vision.data.LabeledImages;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.eval.Features;
import org.selfsup4j.core.eval.KnnClassifier;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.core.eval.LinearProbeResult;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Self-supervised pretraining on a folder of images, then kNN and linear-probe evaluation of the
 * frozen backbone against the same backbone at random init. Writes checkpoints, {@code curves.png}
 * (loss and kNN accuracy per epoch) and {@code results.json} into the output folder.
 *
 * <pre>
 *   java -jar examples/target/selfsup4j-examples.jar --method simclr \
 *        --data ../shared/datasets/cifar10-subset/train --eval-data ../shared/datasets/cifar10-subset/val \
 *        --minutes 12 --out runs/simclr
 * </pre>
 *
 * With no {@code --data} it generates a small synthetic labelled set (10 classes of patterns) and
 * says so.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Self-supervised pretraining on images (SimCLR, MoCo v2, BYOL, VICReg, Barlow Twins, AE, DAE, VAE) "
                + "with kNN / linear-probe evaluation.")
public final class PretrainExample implements Callable<Integer> {
    @Option(names = "--method", description = "simclr, moco-v2, byol, vicreg, barlow-twins, ae, dae, vae (default ${DEFAULT-VALUE})")
    String method = "simclr";

    @Option(names = "--data", description = "training images: a folder of class subfolders, a flat folder, or an "
            + "IDX (MNIST-style) folder; default: a generated synthetic set")
    Path data;

    @Option(names = "--eval-data", description = "evaluation images (same layouts); default: the IDX t10k split, or "
            + "a held-out 20%% of --data")
    Path evalData;

    static final int DEFAULT_EPOCHS = 3;

    @Option(names = "--epochs", description = "epochs to train (default " + DEFAULT_EPOCHS + "); with --minutes, "
            + "the schedule is planned for these epochs and --minutes only stops the run")
    Integer epochs;

    @Option(names = "--minutes", description = "training-time budget in minutes: training stops at the budget; "
            + "without --epochs the step count is planned from a timed calibration")
    double minutes;

    @Option(names = "--batch-size", description = "images per batch (default ${DEFAULT-VALUE})")
    int batchSize = 256;

    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--out", description = "output folder (default runs/<method>)")
    Path out;

    @Option(names = "--backbone", description = "convnet or resnet18 (default ${DEFAULT-VALUE})")
    String backbone = "convnet";

    @Option(names = "--width", description = "convnet first-stage channels, or resnet18 channels of its first stage "
            + "(64 = standard) (default ${DEFAULT-VALUE})")
    int width = 32;

    @Option(names = "--lr", description = "Adam base learning rate (default ${DEFAULT-VALUE})")
    double lr = MethodConfig.DEFAULT_LEARNING_RATE;

    @Option(names = "--limit-per-class", description = "read at most this many images per class (0 = all); for an IDX "
            + "folder, the first limit x classes images of the file")
    int limitPerClass;

    @Option(names = "--curve-size", description = "training images (a seeded sample) in the per-epoch kNN curve's bank; "
            + "the curve scores a sample of half as many evaluation images (default ${DEFAULT-VALUE})")
    int curveSize = 2000;

    @Option(names = "--workers", description = "augmentation threads (default ${DEFAULT-VALUE})")
    int workers = 1;

    @Option(names = "--reevaluate", description = "do not train: restore the newest checkpoint in --out/checkpoints, "
            + "recompute the final and random-init scores with the current probes and update --out/results.json")
    boolean reevaluate;

    static final String EVALUATION = "frozen backbone features (eval-mode BN), unaugmented normalised images; "
            + "kNN: org.selfsup4j.core.eval.KnnClassifier k=" + KnnClassifier.DEFAULT_K + " T="
            + KnnClassifier.DEFAULT_TEMPERATURE + "; linear: org.selfsup4j.core.eval.LinearProbe defaults "
            + "(L-BFGS multinomial logistic regression, L2 strength chosen on a held-out 20% of the training set)";

    private Map<String, Object> results = new LinkedHashMap<>();

    /**
     * Entry point.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new PretrainExample()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            out = Path.of("runs", method);
        }
        Files.createDirectories(out);
        LabeledImages train;
        LabeledImages eval;
        if (data == null) {
            System.out.println("No --data given: generating a synthetic labelled set (10 classes of coloured "
                    + "patterns, 32x32, 1,000 train / 500 eval images); use --data for real images.");
            train = SyntheticShapes.generate("synthetic-shapes/train", 100, 32, seed);
            eval = SyntheticShapes.generate("synthetic-shapes/eval", 50, 32, seed + 1);
        } else {
            train = Datasets.load(data, false, limitPerClass);
            if (evalData != null) {
                eval = Datasets.load(evalData, true, 0);
            } else if (Datasets.isIdx(data)) {
                eval = Datasets.load(data, true, 0);
            } else {
                List<LabeledImages> parts = train.split(0.2, seed);
                train = parts.get(0);
                eval = parts.get(1);
                System.out.println("No --eval-data: holding out 20% of " + data + " for evaluation.");
            }
        }
        System.out.printf("Train: %s, %d images, %d classes; eval: %s, %d images%n", train.name(), train.size(),
                train.numClasses(), eval.name(), eval.size());
        FloatImage first = train.images().get(0);
        Normalize normalize = Datasets.statistics(train);
        BackboneSpec spec = new BackboneSpec(BackboneSpec.parseKind(backbone), first.channels(), width, DataType.FLOAT,
                seed);
        int stepsPerEpoch = Math.max(1, train.size() / batchSize);
        int bs = Math.min(batchSize, train.size());

        results.put("method", method);
        results.put("dataset", train.name());
        results.put("eval_dataset", eval.name());
        results.put("train_images", train.size());
        results.put("eval_images", eval.size());
        results.put("backbone", spec.build().description());
        results.put("image_size", first.height());
        results.put("batch_size", bs);
        results.put("seed", seed);
        results.put("learning_rate", lr);

        // Random-init baseline: the same architecture and seed, untrained.
        long t0 = System.nanoTime();
        Backbone random = spec.build();
        double[] baseline = evaluate(random.module(), train, eval, normalize);
        results.put("random_init_knn_top1", baseline[0]);
        results.put("random_init_linear_top1", baseline[1]);
        results.put("random_init_linear_lambda", baseline[2]);
        System.out.printf("Random init: kNN top-1 %.4f, linear top-1 %.4f (%.1f s)%n", baseline[0], baseline[1],
                (System.nanoTime() - t0) / 1e9);

        if (reevaluate) {
            return reevaluate(spec, first.height(), normalize, train, eval, stepsPerEpoch);
        }
        long totalSteps;
        if (minutes > 0 && epochs == null) {
            double stepSeconds = calibrate(spec, first.height(), normalize, train, bs);
            totalSteps = Math.max(1, (long) Math.floor(minutes * 60 / stepSeconds));
            System.out.printf("Calibration: %.2f s per step -> %d steps (%.2f epochs) in %.1f minutes%n", stepSeconds,
                    totalSteps, totalSteps / (double) stepsPerEpoch, minutes);
            results.put("calibration_seconds_per_step", stepSeconds);
        } else {
            totalSteps = (long) (epochs == null ? DEFAULT_EPOCHS : epochs) * stepsPerEpoch;
        }
        MethodConfig cfg = new MethodConfig(spec, first.height(), totalSteps, lr, 0, 0, normalize);
        PretrainSetup setup = Methods.assemble(method, cfg);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("method", method);
        meta.put("dataset", train.name());
        meta.put("backbone", setup.backbone().description());
        Trainer trainer = new Trainer(Trainer.Config.of(seed, totalSteps)
                .withCheckpoints(out.resolve("checkpoints"), stepsPerEpoch).withMetadata(meta),
                setup.encoder(), setup.objective(), setup.optimizer());

        // A seeded sample, not the first images: a folder is read class by class, so its head would
        // hold two or three classes.
        LabeledImages curveTrain = train.sample(curveSize, seed);
        LabeledImages curveEval = eval.sample(Math.max(1, curveSize / 2), seed + 1);
        double randomCurveKnn = knn(random.module(), curveTrain, curveEval, normalize);
        results.put("random_init_knn_top1_subset", randomCurveKnn);
        List<Double> epochLoss = new ArrayList<>();
        List<Double> epochKnn = new ArrayList<>();
        long trainNanos = 0;
        long dataWaitNanos = 0;
        long deadline = minutes > 0 ? (long) (minutes * 60e9) : Long.MAX_VALUE;
        boolean stopped = false;
        long step = 0;
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName(method).setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).build()) {
            for (long e = 0; step < totalSteps && !stopped; e++) {
                double lossSum = 0;
                int lossCount = 0;
                long tEpoch = System.nanoTime();
                try (BatchLoader<List<FloatImage>, ViewBatch> loader = ImageCollate.loader(train.images(),
                        setup.views(), seed).batchSize(bs).workers(workers).epoch(e).shuffle(true).dropLast(true)
                        .build()) {
                    while (loader.hasNext() && step < totalSteps) {
                        if (trainNanos + (System.nanoTime() - tEpoch) > deadline) {
                            stopped = true;
                            break;
                        }
                        StepReport r = trainer.step(loader.next().toINDArrays(), stepsPerEpoch);
                        step++;
                        if (!r.skipped()) {
                            lossSum += r.loss();
                            lossCount++;
                        }
                        pb.step();
                        pb.setExtraMessage(String.format("loss %.4f", r.loss()));
                    }
                    // time the trainer spent blocked on the loader: the views were not ready
                    dataWaitNanos += loader.waitNanos();
                }
                trainNanos += System.nanoTime() - tEpoch;
                if (lossCount == 0) {
                    break;
                }
                epochLoss.add(lossSum / lossCount);
                double knn = knn(setup.backbone().module(), curveTrain, curveEval, normalize);
                epochKnn.add(knn);
                System.out.printf("%nEpoch %d: mean loss %.4f, kNN top-1 (%d-image bank) %.4f, train time %.0f s%n",
                        e + 1, lossSum / lossCount, curveTrain.size(), knn, trainNanos / 1e9);
            }
        }
        trainer.saveCheckpoint();
        double trainSeconds = trainNanos / 1e9;
        double[] finalScores = evaluate(setup.backbone().module(), train, eval, normalize);
        System.out.printf("Trained %d steps (%.2f epochs) in %.1f s: kNN top-1 %.4f (random init %.4f), "
                        + "linear top-1 %.4f (random init %.4f)%n", step, step / (double) stepsPerEpoch, trainSeconds,
                finalScores[0], baseline[0], finalScores[1], baseline[1]);
        System.out.printf("Data wait: %.1f s of %.1f s training (%.1f%%)%n", dataWaitNanos / 1e9, trainSeconds,
                trainNanos > 0 ? 100.0 * dataWaitNanos / trainNanos : 0.0);

        results.put("epochs", Math.round(step / (double) stepsPerEpoch * 100) / 100.0);
        results.put("steps", step);
        results.put("planned_steps", totalSteps);
        results.put("stopped_at_time_budget", stopped);
        results.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        results.put("data_wait_seconds", Math.round(dataWaitNanos / 1e8) / 10.0);
        results.put("data_wait_fraction", trainNanos > 0 ? Math.round(dataWaitNanos * 1e4 / trainNanos) / 1e4 : 0.0);
        results.put("knn_top1", finalScores[0]);
        results.put("linear_top1", finalScores[1]);
        results.put("linear_lambda", finalScores[2]);
        results.put("evaluation", EVALUATION);
        results.put("epoch_loss", epochLoss);
        results.put("epoch_knn_top1_subset", epochKnn);
        results.put("machine", machine());
        results.put("finished_at", Instant.now().toString());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(),
                results);
        plot(epochLoss, epochKnn, randomCurveKnn, out.resolve("curves.png"));
        System.out.println("Wrote " + out.resolve("results.json") + " and " + out.resolve("curves.png"));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private int reevaluate(BackboneSpec spec, int size, Normalize normalize, LabeledImages train, LabeledImages eval,
            int stepsPerEpoch) throws IOException {
        Path file = out.resolve("results.json");
        Map<String, Object> old = new ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
        long planned = ((Number) old.get("planned_steps")).longValue();
        PretrainSetup setup = Methods.assemble(method, new MethodConfig(spec, size, planned, lr, 0, 0, normalize));
        Trainer trainer = new Trainer(Trainer.Config.of(seed, planned).withCheckpoints(out.resolve("checkpoints"),
                stepsPerEpoch), setup.encoder(), setup.objective(), setup.optimizer());
        if (!trainer.resumeLatest()) {
            throw new IllegalStateException("PretrainExample: no checkpoint in " + out.resolve("checkpoints"));
        }
        double[] scores = evaluate(setup.backbone().module(), train, eval, normalize);
        System.out.printf("Re-evaluated step %d: kNN top-1 %.4f, linear top-1 %.4f%n", trainer.currentStep(),
                scores[0], scores[1]);
        for (String k : List.of("random_init_knn_top1", "random_init_linear_top1", "random_init_linear_lambda")) {
            old.put(k, results.get(k));
        }
        old.put("knn_top1", scores[0]);
        old.put("linear_top1", scores[1]);
        old.put("linear_lambda", scores[2]);
        old.remove("knn");
        old.put("evaluation", EVALUATION);
        old.put("reevaluated_at", Instant.now().toString());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), old);
        System.out.println("Updated " + file);
        return 0;
    }

    /**
     * Median step time of a throwaway copy of the run (after two warm-up steps). The median of several
     * steps, because a plan made from a step that happened to share the CPU with another process would
     * end the run long before its budget.
     */
    private double calibrate(BackboneSpec spec, int size, Normalize normalize, LabeledImages train, int bs) {
        PretrainSetup probe = Methods.assemble(method, new MethodConfig(spec, size, 1000, lr, 0, 0, normalize));
        Trainer t = new Trainer(Trainer.Config.of(seed, 1000), probe.encoder(), probe.objective(), probe.optimizer());
        int warmup = 2;
        int timed = 8;
        double[] seconds = new double[timed];
        int n = 0;
        try (BatchLoader<List<FloatImage>, ViewBatch> loader = ImageCollate.loader(train.images(), probe.views(), seed)
                .batchSize(bs).workers(workers).epoch(0).shuffle(true).dropLast(true).build()) {
            for (int i = 0; i < warmup + timed && loader.hasNext(); i++) {
                long start = System.nanoTime();
                t.step(loader.next().toINDArrays(), 1);
                if (i >= warmup) {
                    seconds[n++] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("calibration: the training set holds fewer than " + (warmup + 1)
                    + " batches of " + bs);
        }
        double[] sorted = Arrays.copyOf(seconds, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }

    /** kNN and linear-probe top-1 of a frozen backbone (core eval: weighted kNN k=200 T=0.07; L-BFGS probe). */
    private static double[] evaluate(Module backbone, LabeledImages train, LabeledImages eval, Normalize normalize) {
        INDArray ft = Features.extract(backbone, train.images(), normalize, Features.DEFAULT_BATCH);
        INDArray fe = Features.extract(backbone, eval.images(), normalize, Features.DEFAULT_BATCH);
        double knn = new KnnClassifier().accuracy(ft, train.labels(), fe, eval.labels());
        LinearProbeResult probe = LinearProbe.withDefaults().evaluate(ft, train.labels(), fe, eval.labels());
        return new double[] {knn, probe.testAccuracy(), probe.lambda()};
    }

    private static double knn(Module backbone, LabeledImages train, LabeledImages eval, Normalize normalize) {
        INDArray ft = Features.extract(backbone, train.images(), normalize, Features.DEFAULT_BATCH);
        INDArray fe = Features.extract(backbone, eval.images(), normalize, Features.DEFAULT_BATCH);
        return new KnnClassifier().accuracy(ft, train.labels(), fe, eval.labels());
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        m.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("java", System.getProperty("java.version"));
        m.put("os_arch", System.getProperty("os.arch"));
        m.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        return m;
    }

    private void plot(List<Double> loss, List<Double> knn, double randomKnn, Path file) throws IOException {
        if (loss.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title(method + " on " + results.get("dataset"))
                .xAxisTitle("epoch").build();
        double[] xs = new double[loss.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
        }
        XYSeries l = chart.addSeries("training loss", xs, loss.stream().mapToDouble(Double::doubleValue).toArray());
        l.setYAxisGroup(0);
        XYSeries k = chart.addSeries("kNN top-1 (subset)", xs, knn.stream().mapToDouble(Double::doubleValue).toArray());
        k.setYAxisGroup(1);
        double[] flat = new double[xs.length];
        Arrays.fill(flat, randomKnn);
        XYSeries r = chart.addSeries("kNN top-1 (subset), random init", xs, flat);
        r.setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "loss");
        chart.setYAxisGroupTitle(1, "kNN top-1");
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
