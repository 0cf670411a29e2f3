package org.selfsup4j.examples;

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
import java.util.Optional;
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
import org.selfsup4j.augment.image.RandomResizedCrop;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.augment.loader.BatchLoader;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.spark.DataParallelConfig;
import org.selfsup4j.vision.data.ImageDecodeException;
import org.selfsup4j.vision.data.LabeledImages;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.encoders.VisionTransformerConfig;
import org.selfsup4j.vision.eval.FrozenProbes;
import org.selfsup4j.vision.eval.FrozenScores;
import org.selfsup4j.core.eval.KnnClassifier;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.MethodOptions;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.OptimizerSpec;
import org.selfsup4j.vision.methods.PretrainSetup;
import org.selfsup4j.vision.methods.StepCalibration;
import org.selfsup4j.vision.pretrained.ImageEncoderExport;
import org.selfsup4j.vision.pretrained.ImagePreprocessing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Self-supervised pretraining on a folder of images, then kNN and linear-probe evaluation of the
 * frozen backbone against the same backbone at random init. Writes checkpoints, {@code curves.png}
 * (loss and kNN accuracy per epoch) and {@code results.json} into the output folder.
 *
 * <pre>
 *   java -jar examples/target/selfsup4j-examples.jar pretrain --method simclr \
 *        --data ../shared/datasets/cifar10-subset/train --eval-data ../shared/datasets/cifar10-subset/val \
 *        --minutes 12 --out runs/simclr
 * </pre>
 *
 * With no {@code --data} it generates a small synthetic labelled set (10 classes of patterns) and
 * says so.
 *
 * <p>Runs a user can trust: every option is checked before any data is read; the output folder holds
 * one run ({@link RunFolder}: {@code run.json} with a run id that every checkpoint carries), so a
 * second run into it is refused unless {@code --overwrite}; {@code --resume} continues a killed run
 * from its newest valid checkpoint and reaches the parameters an uninterrupted run reaches, bit for
 * bit (the views of a step are a function of seed, epoch and sample index, so the loader restarts
 * the epoch of the checkpoint's step at that step's batch). Errors print as one line, with the exit
 * codes of {@link ErrorHandler}.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Self-supervised pretraining on images (SimCLR, MoCo v2, BYOL, VICReg, Barlow Twins, SimSiam, "
                + "MoCo v3, DINO, SwAV, MAE, AE, DAE, VAE) with kNN / linear-probe evaluation. Each method trains on its paper's views and hyperparameters "
                + "(--views, --optimizer and the method's options below change them; results.json records them).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:unexpected failure (run with --verbose for the stack trace)",
                "2:usage: a bad option, an --out holding another run, --resume with other options",
                "3:data: a missing or unreadable data folder, image or checkpoint"})
public final class PretrainExample implements Callable<Integer> {
    @Option(names = "--method", description = "simclr, moco-v2, byol, vicreg, barlow-twins, simsiam, moco-v3, dino, "
            + "swav, mae, ae, dae, vae (default ${DEFAULT-VALUE})")
    String method = "simclr";

    @Option(names = "--data", description = "training images: a folder of class subfolders, a flat folder, or an "
            + "IDX (MNIST-style) folder; default: a generated synthetic set")
    Path data;

    @Option(names = "--eval-data", description = "evaluation images (same layouts); default: the IDX t10k split, or "
            + "a held-out 20%% of --data")
    Path evalData;

    static final int DEFAULT_EPOCHS = 3;
    static final int DEFAULT_BATCH_SIZE = 256;
    static final int DEFAULT_CURVE_SIZE = 2000;
    // The run with no arguments, on the generated set: 8 epochs of 64 (248 steps) is what it takes for
    // SimCLR to clear the random-init encoder by 10+ points on both probes (kNN 0.22 -> 0.50, linear
    // 0.68 -> 0.86 at seed 42), in about 45 s of training on 2 cores; 3 epochs of 256 (9 steps) made
    // the features worse than random init.
    static final int SYNTHETIC_EPOCHS = 8;
    static final int SYNTHETIC_BATCH_SIZE = 64;
    static final int SYNTHETIC_CURVE_SIZE = 1000;

    @Option(names = "--epochs", description = "epochs to train (default " + DEFAULT_EPOCHS + "; "
            + SYNTHETIC_EPOCHS + " on the generated set); with --minutes, the schedule is planned for these epochs "
            + "and --minutes only stops the run")
    Integer epochs;

    @Option(names = "--minutes", description = "training-time budget in minutes: training stops at the budget; "
            + "without --epochs the step count is planned from a timed calibration")
    double minutes;

    @Option(names = "--batch-size", description = "images per batch (default " + DEFAULT_BATCH_SIZE + "; "
            + SYNTHETIC_BATCH_SIZE + " on the generated set)")
    Integer batchSize;

    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--out", description = "output folder (default runs/<method>)")
    Path out;

    @Option(names = "--backbone", description = "convnet, resnet18 or vit-tiny (default ${DEFAULT-VALUE})")
    String backbone = "convnet";

    @Option(names = "--depth", description = "vit-tiny's transformer blocks (default "
            + VisionTransformerConfig.TINY_DEPTH + ", DeiT-Tiny's; fewer train faster on a CPU)")
    Integer depth;

    @Option(names = "--width", description = "convnet first-stage channels, or resnet18 channels of its first stage "
            + "(64 = standard) (default ${DEFAULT-VALUE})")
    int width = 32;

    @Option(names = "--image-size", description = "resize every image to this square side (bilinear), so a folder "
            + "of mixed-size photos trains; without it the most common size is used and other sizes count as bad "
            + "files (skipped within the skip budget); for the generated set, its side (default 32)")
    Integer imageSize;

    @Option(names = "--lr", description = "base learning rate (default: " + MethodConfig.DEFAULT_LEARNING_RATE
            + " with adam and adamw; " + OptimizerSpec.LARS_LR_PER_256 + " x batch / 256 with lars, as SimCLR; "
            + OptimizerSpec.SGD_LR_PER_256 + " x batch / 256 with sgd, as MoCo)")
    Double lr;

    @Mixin
    ImageRecipeOptions recipe = new ImageRecipeOptions();

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--limit-per-class", description = "read at most this many images per class (0 = all); for an IDX "
            + "folder, the first limit x classes images of the file")
    int limitPerClass;

    @Option(names = "--curve-size", description = "training images (a seeded sample) in the per-epoch kNN curve's bank; "
            + "the curve scores a sample of half as many evaluation images (default " + DEFAULT_CURVE_SIZE + "; "
            + SYNTHETIC_CURVE_SIZE + " on the generated set)")
    Integer curveSize;

    @Option(names = "--workers", description = "augmentation threads (default ${DEFAULT-VALUE})")
    int workers = 1;

    @Option(names = "--reevaluate", description = "do not train: restore the newest checkpoint in --out/checkpoints, "
            + "recompute the final and random-init scores with the current probes and update --out/results.json")
    boolean reevaluate;

    @Option(names = "--resume", description = "continue the run in --out (killed or stopped) from its newest valid "
            + "checkpoint; the options must be the run's (see --out/run.json)")
    boolean resume;

    @Option(names = "--overwrite", description = "delete the run in --out (run.json, results, checkpoints) and start anew")
    boolean overwrite;

    @Option(names = "--checkpoint-every", description = "steps between checkpoints (default: one epoch; 0: only at "
            + "the end)")
    Integer checkpointEvery;

    @Mixin
    Verbose verbose;

    /** The command's name in run.json. */
    static final String COMMAND = "pretrain";

    static final String EVALUATION = "frozen backbone features (eval-mode BN), unaugmented normalised images; "
            + "kNN: org.selfsup4j.core.eval.KnnClassifier k=" + KnnClassifier.DEFAULT_K + " T="
            + KnnClassifier.DEFAULT_TEMPERATURE + "; linear: org.selfsup4j.core.eval.LinearProbe defaults "
            + "(L-BFGS multinomial logistic regression, L2 strength chosen on a held-out 20% of the training set)";

    static final String NO_EVALUATION = "skipped: the training images have no labels (a flat folder); the kNN and "
            + "linear probes need class subfolders";

    private Map<String, Object> results = new LinkedHashMap<>();

    /**
     * The run's data and what follows from it.
     *
     * @param train training images
     * @param eval evaluation images, or null when the training images have no labels
     * @param normalize per-channel statistics of {@code train}
     * @param spec the backbone recipe
     * @param imageSize side of the images
     * @param batch images per step (at most the training set)
     * @param stepsPerEpoch full batches per epoch of {@code --batch-size}
     */
    record Data(LabeledImages train, LabeledImages eval, Normalize normalize, BackboneSpec spec, int imageSize,
                int batch, int stepsPerEpoch) {
        /** Whether the probes can run: they need labelled training and evaluation images. */
        boolean evaluable() {
            return eval != null && train.labelled() && eval.labelled();
        }
    }

    /** What the training loop left: steps, time budget hit, time, loader wait, per-epoch curves. */
    record Run(long steps, boolean stopped, long trainNanos, long dataWaitNanos, List<Double> epochLoss,
               List<Double> epochKnn) {
    }

    /**
     * Entry point.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(ErrorHandler.execute(new PretrainExample(), args));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        BlasSettings.hint().ifPresent(System.err::println);
        RunFolder run = openRun();
        // read (and check the run id of) the checkpoint to continue from before the data, so that a
        // folder of another run is refused at once
        Optional<Checkpoint> latest = resume || reevaluate
                ? run.latestCheckpoint(new CheckpointStore(run.checkpoints(), 1)) : Optional.empty();
        requireReevaluable(run, latest);
        Data d = loadData();
        recordSetup(d);
        if (run.runId() != null) {
            results.put("run_id", run.runId());
        }
        Backbone random = d.spec().build();
        FrozenScores baseline = d.evaluable() ? baseline(random, d) : null;
        if (reevaluate) {
            return reevaluate(d, run, latest.get());
        }
        long totalSteps = plannedSteps(d, run);
        PretrainSetup setup = Methods.assemble(method, methodConfig(d, totalSteps), methodOptions(d));
        Trainer trainer = trainer(d, setup, run, totalSteps, latest);
        Run trained = spark.enabled() ? trainOnSpark(d, setup, trainer, totalSteps, run)
                : train(d, setup, trainer, random, totalSteps, run);
        trainer.saveCheckpoint();
        FrozenScores scores = d.evaluable()
                ? FrozenProbes.evaluate(setup.backbone().module(), d.train(), d.eval(), d.normalize()) : null;
        recordRun(d, trained, scores, baseline, totalSteps);
        results.putAll(RunHealth.fields(trainer));
        results.put("encoder_file", exportEncoder(d, setup, trained).toString());
        results.put("metrics_csv", out.resolve(StepMetricsCsv.FILE_NAME).toString());
        ResultsFile.write(out.resolve(RunFolder.RESULTS_FILE), results);
        run.finish();
        plot(trained.epochLoss(), trained.epochKnn(), (Double) results.get("random_init_knn_top1_subset"),
                out.resolve("curves.png"));
        System.out.print(RunSummary.of(results, out, data == null).text());
        return 0;
    }

    /** The run's folder: --out, or a fresh runs/&lt;method&gt;[-k] (a second run never mixes with the first). */
    private RunFolder openRun() throws IOException {
        if (out == null) {
            Path base = Path.of("runs", method);
            out = resume || reevaluate || overwrite ? base : RunFolder.firstFree(base);
        }
        RunFolder run = RunFolder.open(out, COMMAND, runOptions(), resume ? RunFolder.Mode.RESUME
                : reevaluate ? RunFolder.Mode.REEVALUATE : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW);
        System.out.println((run.runId() == null ? "Run" : "Run " + run.runId()) + " in " + out
                + (resume ? " (resumed)" : ""));
        return run;
    }

    private void requireReevaluable(RunFolder run, Optional<Checkpoint> latest) {
        if (reevaluate && latest.isEmpty()) {
            throw UserError.data("cannot re-evaluate: no valid checkpoint in " + run.checkpoints(), null);
        }
        if (reevaluate && !Files.isRegularFile(out.resolve(RunFolder.RESULTS_FILE))) {
            throw UserError.usage("cannot re-evaluate: run " + run.runId() + " in " + out + " has no results.json "
                    + "(status " + run.get("status") + "); finish it with --resume first");
        }
    }

    /** Random-init baseline: the same architecture and seed, untrained. */
    private FrozenScores baseline(Backbone random, Data d) {
        long t0 = System.nanoTime();
        FrozenScores baseline = FrozenProbes.evaluate(random.module(), d.train(), d.eval(), d.normalize());
        results.put("random_init_knn_top1", baseline.knnTop1());
        results.put("random_init_linear_top1", baseline.linearTop1());
        results.put("random_init_linear_lambda", baseline.linearLambda());
        System.out.printf("Random init: kNN top-1 %.4f, linear top-1 %.4f (%.1f s)%n", baseline.knnTop1(),
                baseline.linearTop1(), (System.nanoTime() - t0) / 1e9);
        return baseline;
    }

    /** A resumed run keeps its plan (a --minutes calibration would time differently now). */
    private long plannedSteps(Data d, RunFolder run) throws IOException {
        if (run.get("planned_steps") instanceof Number n) {
            return n.longValue();
        }
        long totalSteps = planSteps(d);
        run.put("planned_steps", totalSteps);
        run.save();
        return totalSteps;
    }

    /** --spark: {@link SparkPretrain} with the checkpoints and metadata of {@link #trainer}'s. */
    private Run trainOnSpark(Data d, PretrainSetup setup, Trainer trainer, long totalSteps, RunFolder run)
            throws IOException {
        DataParallelConfig config = DataParallelConfig.of(seed, totalSteps)
                .withCheckpoints(run.checkpoints().toAbsolutePath().toString(), checkpointEvery(d))
                .withMetadata(checkpointMetadata(d, setup, run));
        return SparkPretrain.train(spark, SparkReplica.argsOf(spec.commandLine().getParseResult()), d, trainer, config,
                run, results);
    }

    private long checkpointEvery(Data d) {
        return checkpointEvery != null ? checkpointEvery : d.stepsPerEpoch();
    }

    private Trainer trainer(Data d, PretrainSetup setup, RunFolder run, long totalSteps, Optional<Checkpoint> latest) {
        Trainer trainer = new Trainer(Trainer.Config.of(seed, totalSteps)
                .withCheckpoints(run.checkpoints(), checkpointEvery(d))
                .withMetadata(checkpointMetadata(d, setup, run)), setup.encoder(), setup.objective(), setup.optimizer());
        if (resume) {
            if (latest.isPresent()) {
                trainer.restore(latest.get());
                System.out.printf("Resuming at step %d of %d%n", trainer.currentStep(), totalSteps);
            } else {
                System.out.println("No checkpoint yet: the run starts from step 0");
            }
            results.put("resumed_from_step", trainer.currentStep());
        }
        return trainer;
    }

    /** What every checkpoint of the run carries: method, data, backbone, run id and the encoder recipe. */
    private Map<String, String> checkpointMetadata(Data d, PretrainSetup setup, RunFolder run) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("method", method);
        meta.put("dataset", d.train().name());
        meta.put("backbone", setup.backbone().description());
        meta.putAll(run.checkpointMetadata());
        // every checkpoint exports to an encoder file on its own, a killed run's too
        meta.putAll(ImageEncoderExport.recipeMetadata(d.spec(), preprocessing(d)));
        return meta;
    }

    /** The pretrained-encoder file, with the run's probe results (none for unlabelled data) as provenance. */
    private Path exportEncoder(Data d, PretrainSetup setup, Run trained) throws IOException {
        Map<String, Double> probes = new LinkedHashMap<>();
        for (String k : List.of("knn_top1", "linear_top1", "random_init_knn_top1", "random_init_linear_top1")) {
            if (results.get(k) instanceof Number n) {
                probes.put(k, n.doubleValue());
            }
        }
        return ImageEncoderExport.export(setup.backbone(), d.spec(), preprocessing(d),
                EncoderProvenance.of(method, d.train().name(), trained.steps(), seed, probes),
                out.resolve(EncoderFile.DEFAULT_FILE_NAME));
    }

    private static ImagePreprocessing preprocessing(Data d) {
        return ImagePreprocessing.of(d.imageSize(), d.normalize());
    }

    /**
     * Checks every option before any data is read, so a mistake costs no time.
     *
     * @throws UserError naming the option, what it needs and what came
     */
    void validate() {
        if (resume && overwrite || resume && reevaluate || reevaluate && overwrite) {
            throw UserError.usage("--resume, --overwrite and --reevaluate exclude each other; pass one");
        }
        try {
            method = Methods.resolve(method);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--method: expected one of " + Methods.NAMES + ", got '" + method + "'");
        }
        try {
            BackboneSpec.parseKind(backbone);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--backbone: expected convnet, resnet18 or vit-tiny, got '" + backbone + "'");
        }
        if (depth != null) {
            if (BackboneSpec.parseKind(backbone) != BackboneSpec.Kind.VIT_TINY) {
                throw UserError.usage("--depth: applies to --backbone vit-tiny only, got --backbone " + backbone);
            }
            OptionChecks.atLeast("--depth", depth, 1);
        }
        recipe.validate(method, imageSize);
        OptionChecks.atLeast("--epochs", epochs, 1);
        OptionChecks.atLeast("--batch-size", batchSize, 1);
        recipe.validateQueue(method, batchSize());
        OptionChecks.positiveFinite("--lr", lr);
        OptionChecks.nonNegativeFinite("--minutes", minutes, "no time budget");
        OptionChecks.between("--image-size", imageSize, 8, RandomResizedCrop.MAX_SIZE);
        OptionChecks.atLeast("--width", width, 1);
        OptionChecks.atLeast("--workers", workers, 1);
        OptionChecks.nonNegative("--limit-per-class", limitPerClass, "all");
        OptionChecks.atLeast("--curve-size", curveSize, 1);
        OptionChecks.nonNegative("--checkpoint-every", checkpointEvery, "only at the end");
        requireFolder("--data", data);
        requireFolder("--eval-data", evalData);
        if (evalData != null && data == null) {
            throw UserError.usage("--eval-data needs --data (the generated set has its own evaluation images)");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw UserError.usage("--out " + out + " is a file, expected a folder");
        }
        spark.validate(method, backbone, batchSize(), minutes, reevaluate);
    }

    private static void requireFolder(String option, Path folder) {
        if (folder != null && !Files.isDirectory(folder)) {
            throw UserError.data(option + " " + folder + (Files.exists(folder) ? " is not a folder" : " does not exist"),
                    null);
        }
    }

    /**
     * The options that define the run, as run.json records them: a resumption must repeat them
     * (--workers, --out and the mode flags do not change the result and are left out).
     */
    Map<String, String> runOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("method", method);
        o.put("data", data == null ? "generated" : data.toAbsolutePath().normalize().toString());
        o.put("eval-data", evalData == null ? "default" : evalData.toAbsolutePath().normalize().toString());
        o.put("epochs", epochs == null ? "default" : epochs.toString());
        o.put("minutes", Double.toString(minutes));
        o.put("batch-size", batchSize == null ? "default" : batchSize.toString());
        o.put("seed", Long.toString(seed));
        o.put("backbone", backbone);
        o.put("width", Integer.toString(width));
        if (depth != null) {
            o.put("depth", depth.toString());
        }
        o.put("image-size", imageSize == null ? "native" : imageSize.toString());
        o.put("lr", Double.toString(learningRate()));
        o.put("limit-per-class", Integer.toString(limitPerClass));
        o.put("curve-size", curveSize == null ? "default" : curveSize.toString());
        o.put("checkpoint-every", checkpointEvery == null ? "epoch" : checkpointEvery.toString());
        recipe.putRunOptions(o);
        return o;
    }

    /** The training and evaluation images: --data and --eval-data, an IDX t10k split, a held-out 20%, or synthetic. */
    Data loadData() throws IOException {
        LabeledImages train;
        LabeledImages eval;
        if (data == null) {
            System.out.printf("No --data given: generating a labelled set of 10 shapes in random colours (%dx%d, "
                    + "%,d train / %,d eval images); use --data for your own images.%n", SyntheticShapes.SIZE,
                    SyntheticShapes.SIZE, 10 * SyntheticShapes.TRAIN_PER_CLASS, 10 * SyntheticShapes.EVAL_PER_CLASS);
            int side = imageSize == null ? SyntheticShapes.SIZE : imageSize;
            train = SyntheticShapes.generate("synthetic-shapes/train", SyntheticShapes.TRAIN_PER_CLASS, side, seed);
            eval = SyntheticShapes.generate("synthetic-shapes/eval", SyntheticShapes.EVAL_PER_CLASS, side, seed + 1);
        } else {
            train = read(data, false, limitPerClass);
            if (!train.labelled()) {
                eval = null;
                System.out.println(data + " has no class subfolders: pretraining needs no labels, but the kNN and "
                        + "linear probes do, so this run pretrains and skips them (give --data a folder of class "
                        + "subfolders to evaluate).");
            } else if (evalData != null) {
                eval = read(evalData, true, 0);
            } else if (Datasets.isIdx(data)) {
                eval = read(data, true, 0);
            } else {
                List<LabeledImages> parts = train.split(0.2, seed);
                train = parts.get(0);
                eval = parts.get(1);
                System.out.println("No --eval-data: holding out 20% of " + data + " for evaluation.");
            }
        }
        if (eval != null) {
            System.out.printf("Train: %s, %d images, %d classes; eval: %s, %d images%n", train.name(), train.size(),
                    train.numClasses(), eval.name(), eval.size());
        } else {
            System.out.printf("Train: %s, %d unlabelled images%n", train.name(), train.size());
        }
        FloatImage first = train.images().get(0);
        BackboneSpec spec = BackboneSpec.forImages(BackboneSpec.parseKind(backbone), first.channels(), width,
                first.height(), DataType.FLOAT, seed);
        if (depth != null) {
            spec = new BackboneSpec(spec.kind(), spec.inChannels(), spec.width(), spec.dtype(), spec.seed(),
                    spec.imageSize(), depth);
        }
        int batch = batchSize();
        return new Data(train, eval, Datasets.statistics(train), spec, first.height(), Math.min(batch, train.size()),
                Math.max(1, train.size() / batch));
    }

    /** {@link Datasets#load}, with a reader's refusal as a data error naming the folder. */
    private LabeledImages read(Path dir, boolean evalSplit, int limitPerClass) throws IOException {
        try {
            LabeledImages images = Datasets.load(dir, evalSplit, limitPerClass, imageSize == null ? 0 : imageSize);
            if (images.size() == 0) {
                throw UserError.data(dir + " holds no readable images", null);
            }
            return images;
        } catch (ImageDecodeException e) {
            throw UserError.data("cannot read images in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The option, or its default for the data at hand: the generated set has defaults of its own. */
    private int batchSize() {
        return batchSize != null ? batchSize : data == null ? SYNTHETIC_BATCH_SIZE : DEFAULT_BATCH_SIZE;
    }

    private int epochs() {
        return epochs != null ? epochs : data == null ? SYNTHETIC_EPOCHS : DEFAULT_EPOCHS;
    }

    private int curveSize() {
        return curveSize != null ? curveSize : data == null ? SYNTHETIC_CURVE_SIZE : DEFAULT_CURVE_SIZE;
    }

    MethodConfig methodConfig(Data d, long totalSteps) {
        int[] widths = recipe.widths(method);
        return new MethodConfig(d.spec(), d.imageSize(), totalSteps, learningRate(), widths[0], widths[1],
                d.normalize());
    }

    /** --lr, or the optimizer's paper rate for the batch size asked for (not capped by the data, so run.json fixes it). */
    private double learningRate() {
        return recipe.learningRate(method, lr, batchSize());
    }

    MethodOptions methodOptions(Data d) {
        return recipe.methodOptions(method, d.imageSize());
    }

    private void recordSetup(Data d) {
        results.put("method", method);
        results.put("dataset", d.train().name());
        results.put("eval_dataset", d.eval() == null ? null : d.eval().name());
        results.put("train_images", d.train().size());
        results.put("eval_images", d.eval() == null ? 0 : d.eval().size());
        results.put("backbone", d.spec().build().description());
        results.put("image_size", d.imageSize());
        results.put("batch_size", d.batch());
        results.put("seed", seed);
        results.put("learning_rate", learningRate());
        results.put("recipe", ImageRecipeOptions.describe(method, methodOptions(d), methodConfig(d, 1)));
    }

    /** --epochs of steps, or with only --minutes as many steps as a timed calibration says fit. */
    private long planSteps(Data d) {
        if (minutes > 0 && epochs == null) {
            double stepSeconds = StepCalibration.medianStepSeconds(method, methodConfig(d, 1), methodOptions(d),
                    d.train().images(), seed, d.batch(), workers);
            long totalSteps = Math.max(1, (long) Math.floor(minutes * 60 / stepSeconds));
            System.out.printf("Calibration: %.2f s per step -> %d steps (%.2f epochs) in %.1f minutes%n", stepSeconds,
                    totalSteps, totalSteps / (double) d.stepsPerEpoch(), minutes);
            results.put("calibration_seconds_per_step", stepSeconds);
            return totalSteps;
        }
        return (long) epochs() * d.stepsPerEpoch();
    }

    /** Epochs of shuffled batches until the planned steps or the time budget, with a kNN curve per epoch. */
    private Run train(Data d, PretrainSetup setup, Trainer trainer, Backbone random, long totalSteps, RunFolder folder)
            throws IOException {
        // A seeded sample, not the first images: a folder is read class by class, so its head would
        // hold two or three classes.
        LabeledImages curveTrain = d.evaluable() ? d.train().sample(curveSize(), seed) : null;
        LabeledImages curveEval = d.evaluable() ? d.eval().sample(Math.max(1, curveSize() / 2), seed + 1) : null;
        if (d.evaluable()) {
            results.put("random_init_knn_top1_subset", FrozenProbes.knn(random.module(), curveTrain, curveEval,
                    d.normalize()));
        }
        long step = trainer.currentStep();
        // Resuming at step s: the epoch of s, from its batch s mod stepsPerEpoch. The loader's order is
        // drawn from (seed, epoch) and each view from (seed, epoch, sample), so the batches from s on
        // are the ones the uninterrupted run saw.
        long firstEpoch = step / d.stepsPerEpoch();
        List<Double> epochLoss = new ArrayList<>(head(folder.get("epoch_loss"), firstEpoch));
        List<Double> epochKnn = new ArrayList<>(head(folder.get("epoch_knn_top1_subset"), firstEpoch));
        long trainNanos = 0;
        long dataWaitNanos = 0;
        long deadline = minutes > 0 ? (long) (minutes * 60e9) : Long.MAX_VALUE;
        boolean stopped = false;
        try (StepMetricsCsv metrics = StepMetricsCsv.open(folder.dir().resolve(StepMetricsCsv.FILE_NAME), step);
             ProgressBar pb = new ProgressBarBuilder().setTaskName(method).setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).build()) {
            trainer.addListener(metrics);
            pb.stepTo(step);
            for (long e = firstEpoch; step < totalSteps && !stopped; e++) {
                double lossSum = 0;
                int lossCount = 0;
                long tEpoch = System.nanoTime();
                int startBatch = e == firstEpoch ? (int) (step % d.stepsPerEpoch()) : 0;
                try (BatchLoader<List<FloatImage>, ViewBatch> loader = ImageCollate.loader(d.train().images(),
                        setup.views(), seed).batchSize(d.batch()).workers(workers).epoch(e).shuffle(true)
                        .dropLast(true).startBatch(startBatch).build()) {
                    while (loader.hasNext() && step < totalSteps) {
                        if (trainNanos + (System.nanoTime() - tEpoch) > deadline) {
                            stopped = true;
                            break;
                        }
                        long waited = loader.waitNanos();
                        ViewBatch batch = loader.next();
                        List<INDArray> views = batch.toINDArrays();
                        metrics.dataWait(loader.waitNanos() - waited);
                        recordViewShapes(batch);
                        StepReport r = trainer.step(views, d.stepsPerEpoch());
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
                double knn = d.evaluable()
                        ? FrozenProbes.knn(setup.backbone().module(), curveTrain, curveEval, d.normalize()) : Double.NaN;
                if (d.evaluable()) {
                    epochKnn.add(knn);
                }
                // the curves so far, so that a resumed run reports the epochs before its kill
                folder.put("epoch_loss", epochLoss);
                folder.put("epoch_knn_top1_subset", epochKnn);
                folder.save();
                System.out.printf("%nEpoch %d: mean loss %.4f%s, train time %.0f s%n", e + 1, lossSum / lossCount,
                        d.evaluable() ? String.format(", kNN top-1 (%d-image bank) %.4f", curveTrain.size(), knn) : "",
                        trainNanos / 1e9);
            }
        }
        return new Run(step, stopped, trainNanos, dataWaitNanos, epochLoss, epochKnn);
    }

    /**
     * Multi-crop: the first batch's view shapes as the loader made them (global and local crops
     * differ), recorded once in results.json; runs whose views share one shape record nothing.
     */
    private void recordViewShapes(ViewBatch batch) {
        if (results.containsKey("view_shapes") || batch.shapes().stream().map(Arrays::toString).distinct().count() < 2) {
            return;
        }
        results.put("view_shapes", batch.shapes().stream().map(s -> Arrays.stream(s).boxed().toList()).toList());
    }

    /** The first {@code n} numbers of a run.json list (fewer when a kill came before an epoch was recorded). */
    static List<Double> head(Object list, long n) {
        List<Double> h = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (int i = 0; i < Math.min(n, l.size()); i++) {
                h.add(l.get(i) instanceof Number x ? x.doubleValue() : Double.NaN);
            }
        }
        return h;
    }

    private void recordRun(Data d, Run run, FrozenScores scores, FrozenScores baseline, long totalSteps) {
        double trainSeconds = run.trainNanos() / 1e9;
        long step = run.steps();
        if (scores != null) {
            System.out.printf("Trained %d steps (%.2f epochs) in %.1f s: kNN top-1 %.4f (random init %.4f), "
                            + "linear top-1 %.4f (random init %.4f)%n", step, step / (double) d.stepsPerEpoch(),
                    trainSeconds, scores.knnTop1(), baseline.knnTop1(), scores.linearTop1(), baseline.linearTop1());
            results.put("knn_top1", scores.knnTop1());
            results.put("linear_top1", scores.linearTop1());
            results.put("linear_lambda", scores.linearLambda());
            results.put("evaluation", EVALUATION);
        } else {
            System.out.printf("Trained %d steps (%.2f epochs) in %.1f s (no evaluation: the images have no labels)%n",
                    step, step / (double) d.stepsPerEpoch(), trainSeconds);
            results.put("evaluation", NO_EVALUATION);
        }
        System.out.printf("Data wait: %.1f s of %.1f s training (%.1f%%)%n", run.dataWaitNanos() / 1e9, trainSeconds,
                run.trainNanos() > 0 ? 100.0 * run.dataWaitNanos() / run.trainNanos() : 0.0);
        results.put("epochs", Math.round(step / (double) d.stepsPerEpoch() * 100) / 100.0);
        results.put("steps", step);
        results.put("planned_steps", totalSteps);
        results.put("stopped_at_time_budget", run.stopped());
        results.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        results.put("data_wait_seconds", Math.round(run.dataWaitNanos() / 1e8) / 10.0);
        results.put("data_wait_fraction", run.trainNanos() > 0
                ? Math.round(run.dataWaitNanos() * 1e4 / run.trainNanos()) / 1e4 : 0.0);
        results.put("epoch_loss", run.epochLoss());
        results.put("epoch_knn_top1_subset", run.epochKnn());
        results.put("machine", machine());
        results.put("finished_at", Instant.now().toString());
    }

    private int reevaluate(Data d, RunFolder run, Checkpoint c) throws IOException {
        if (!d.evaluable()) {
            throw UserError.usage("cannot re-evaluate: " + data + " has no labels (a flat folder), and the probes "
                    + "need class subfolders");
        }
        Path file = out.resolve(RunFolder.RESULTS_FILE);
        Map<String, Object> old = ResultsFile.read(file);
        long planned = ((Number) old.get("planned_steps")).longValue();
        PretrainSetup setup = Methods.assemble(method, methodConfig(d, planned), methodOptions(d));
        Trainer trainer = new Trainer(Trainer.Config.of(seed, planned).withCheckpoints(run.checkpoints(),
                d.stepsPerEpoch()), setup.encoder(), setup.objective(), setup.optimizer());
        trainer.restore(c);
        if (old.get("steps") instanceof Number n && n.longValue() != trainer.currentStep()) {
            throw UserError.usage("cannot re-evaluate: the newest checkpoint is of step " + trainer.currentStep()
                    + ", results.json reports " + n + " steps");
        }
        FrozenScores scores = FrozenProbes.evaluate(setup.backbone().module(), d.train(), d.eval(), d.normalize());
        System.out.printf("Re-evaluated step %d: kNN top-1 %.4f, linear top-1 %.4f%n", trainer.currentStep(),
                scores.knnTop1(), scores.linearTop1());
        for (String k : List.of("random_init_knn_top1", "random_init_linear_top1", "random_init_linear_lambda")) {
            old.put(k, results.get(k));
        }
        old.put("knn_top1", scores.knnTop1());
        old.put("linear_top1", scores.linearTop1());
        old.put("linear_lambda", scores.linearLambda());
        old.remove("knn");
        old.put("evaluation", EVALUATION);
        old.put("reevaluated_at", Instant.now().toString());
        ResultsFile.write(file, old);
        System.out.println("Updated " + file);
        return 0;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        m.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("java", System.getProperty("java.version"));
        m.put("os_arch", System.getProperty("os.arch"));
        m.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("openblas_coretype", BlasSettings.coretype());
        return m;
    }

    /** Loss per epoch, and the kNN curve beside its random-init level when the data has labels (randomKnn non-null). */
    private void plot(List<Double> loss, List<Double> knn, Double randomKnn, Path file) throws IOException {
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
        chart.setYAxisGroupTitle(0, "loss");
        if (randomKnn != null && knn.size() == loss.size()) {
            XYSeries k = chart.addSeries("kNN top-1 (subset)", xs,
                    knn.stream().mapToDouble(Double::doubleValue).toArray());
            k.setYAxisGroup(1);
            double[] flat = new double[xs.length];
            Arrays.fill(flat, randomKnn);
            XYSeries r = chart.addSeries("kNN top-1 (subset), random init", xs, flat);
            r.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "kNN top-1");
            chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
