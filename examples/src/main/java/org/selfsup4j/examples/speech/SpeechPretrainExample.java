package org.selfsup4j.examples.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.core.eval.LinearProbeResult;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.examples.BlasSettings;
import org.selfsup4j.examples.ErrorHandler;
import org.selfsup4j.examples.ResultsFile;
import org.selfsup4j.examples.RunHealth;
import org.selfsup4j.examples.OptionChecks;
import org.selfsup4j.examples.RunFolder;
import org.selfsup4j.examples.UserError;
import org.selfsup4j.examples.Verbose;
import org.selfsup4j.speech.data.CropBatchSource;
import org.selfsup4j.speech.data.Fsdd;
import org.selfsup4j.speech.eval.LayerEmbeddings;
import org.selfsup4j.speech.eval.LayerProbe;
import org.selfsup4j.speech.eval.LayerProbeResult;
import org.selfsup4j.speech.eval.MfccMeans;
import org.selfsup4j.speech.features.Mfcc;
import org.selfsup4j.speech.methods.SpeechMethodConfig;
import org.selfsup4j.speech.methods.SpeechMethods;
import org.selfsup4j.speech.methods.SpeechPretrainSetup;
import org.selfsup4j.speech.methods.TimeBudget;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.SpeechModelPreset;
import org.selfsup4j.speech.pretrained.SpeechEncoder;
import org.selfsup4j.speech.pretrained.SpeechEncoderExport;
import org.selfsup4j.speech.pretrained.SpeechPreprocessing;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Speech pre-training on a folder of recordings (FSDD by default; any audio folder, flat folder or
 * manifest, see {@link SpeechData}) with wav2vec 2.0, HuBERT (iteration 1 on MFCC k-means targets, or
 * iteration 2 on k-means of an earlier encoder's layer, {@code --targets-from}) or ILS-SSL within a time
 * budget ({@code --minutes}), then a linear probe on mean-pooled layer outputs against two baselines:
 * the same architecture at random initialisation, and mean-pooled MFCCs (39-dim with deltas, over each
 * utterance's own frames).
 *
 * <p>Every recording is resampled to {@code --sample-rate} (default FSDD's 8 kHz) and normalised to
 * zero mean and unit variance. Training takes random crops of {@code --crop-seconds} (or
 * {@code --samples}; shorter utterances zero-padded at a random offset), optionally through the audio
 * views of {@code --augment} ({@link SpeechAugment}). Evaluation embeds whole utterances (up to
 * {@code --eval-max-seconds}), batched by length, pooling only over valid frames. Every layer 0..L is
 * embedded in one forward; the probed layer is the one with the best accuracy on a held-out part of the
 * probe's training set (FSDD: train takes 5-9 after fitting on takes 10-49; the test part is never
 * used for the choice), chosen separately for the trained and the random-init model. The model is a
 * {@link SpeechModelPreset} ({@code --model}: {@link Wav2Vec2Config#small()}, 80 samples = 10 ms per
 * frame at 8 kHz, which is also the MFCC hop, or {@link Wav2Vec2Config#base()}). Writes
 * {@code loss.png} and {@code results.json}.
 *
 * <p>As the image command: options are checked before any data is read, {@code --out} holds one run
 * ({@code run.json}, run id in every checkpoint), {@code --resume} continues a killed run from its
 * newest valid checkpoint (the crops of a step are a function of the seed and the step), and errors
 * print as one line with the exit codes of {@link ErrorHandler}.
 *
 * <p>Two ways to plan a run. By default ({@code --minutes > 0}) the learning-rate schedule follows the
 * clock of the time budget ({@link TimeBudget}), which restarts on resume: a resumed run continues the
 * same crops but not the same schedule, so it is not bit-identical to an uninterrupted one. With
 * {@code --minutes 0} the run is planned in steps: the schedule is {@link WarmupCosineSchedule} over
 * {@code --steps} (linear warm-up over the same {@link TimeBudget#DEFAULT_WARMUP_FRACTION}, cosine to 0),
 * training stops at {@code --steps}, and as every step's crops, masks and noise are functions of the
 * seed and the step, a run resumed from a checkpoint ends with the parameters and optimizer state of
 * an uninterrupted run, bit for bit.
 */
@Command(name = "SpeechPretrainExample", mixinStandardHelpOptions = true,
        description = "wav2vec 2.0 / HuBERT / ILS-SSL pre-training and linear-probe evaluation on FSDD or your own"
                + " audio (class folders, a flat folder, or a path,label,speaker,split manifest).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:unexpected failure (run with --verbose for the stack trace)",
                "2:usage: a bad option, an --out holding another run, --resume with other options",
                "3:data: a missing or unreadable data folder, recording or checkpoint"})
public final class SpeechPretrainExample implements Callable<Integer> {
    @Option(names = "--method", required = true, description = "wav2vec2 | hubert | ils (= ils-ssl)")
    String method;
    @Option(names = "--data", defaultValue = "../shared/datasets/fsdd", description = "recordings: FSDD, a folder of"
            + " class folders, a flat folder (pretraining only), or a .csv/.tsv manifest (path,label,speaker,split)")
    Path data;
    @Option(names = "--layout", defaultValue = "auto", description = "auto | fsdd | folders | flat | manifest")
    String layout;
    @Option(names = "--eval-data", description = "a separate labelled folder or manifest for the probe (then all of"
            + " --data is pretrained on)")
    Path evalData;
    @Option(names = "--split", description = "take | speaker | manifest | files (default: take for FSDD, manifest"
            + " for a manifest with a split column, speaker when every file has one, else files: a seeded fifth of"
            + " each class)")
    String split;
    @Option(names = "--speaker-fraction", defaultValue = "0.2", description = "--split speaker: share of the speakers"
            + " held out for the test part (seeded), and of the train speakers that choose the probed layer")
    double speakerFraction;
    @Option(names = "--holdout-speaker", description = "leave this speaker out of pretraining and of the probe's"
            + " training; the probe's test part is exactly this speaker")
    String holdoutSpeaker;
    @Option(names = "--speaker-pattern", description = "regex with a group (?<speaker>...) found in each file name,"
            + " for folders without FSDD names or a speaker column")
    String speakerPattern;
    @Option(names = "--sample-rate", defaultValue = "8000", description = "the model's rate; every WAV is resampled to it")
    int sampleRate = Fsdd.SAMPLE_RATE;
    @Option(names = "--model", defaultValue = "small", description = "small (CPU, 2.8M trunk parameters) | base"
            + " (wav2vec 2.0 BASE, 94M, for a GPU): see SpeechModelPreset")
    String model = "small";
    @Option(names = "--targets-from", description = "HuBERT / ILS iteration 2: an encoder file (or a run folder with"
            + " encoder.selfsup4j) whose layer --target-layer is re-clustered with k-means into the targets")
    Path targetsFrom;
    @Option(names = "--target-layer", description = "with --targets-from: the layer clustered (default: the encoder's"
            + " probed layer)")
    Integer targetLayer;
    @Option(names = "--augment", description = "audio views of the training crops, comma-separated: gain, noise,"
            + " shift, time-mask (seeded)")
    String augment;
    @Option(names = "--steps", defaultValue = "100000", description = "step limit (the time budget usually ends training"
            + " first); with --minutes 0 the planned length of the run")
    int steps;
    @Option(names = "--minutes", defaultValue = "25", description = "training time budget; the learning-rate schedule"
            + " follows the clock, and a resumed run is not bit-identical. 0: plan in steps instead: warm-up cosine"
            + " schedule over --steps, training ends at --steps, and --resume ends bit-identical to an uninterrupted run")
    double minutes;
    @Option(names = "--eval-batch", defaultValue = "32", description = "utterances per evaluation forward (grouped by length)")
    int evalBatch;
    @Option(names = "--eval-max-seconds", description = "longer test/train utterances are centre-cropped (default 1)")
    Double evalMaxSeconds;
    @Option(names = "--eval-max-samples", description = "the same in samples at --sample-rate (instead of"
            + " --eval-max-seconds)")
    Integer evalMaxSamples;
    @Option(names = "--seed", defaultValue = "0")
    long seed;
    @Option(names = "--out", description = "output folder (default runs/speech, or runs/speech-2, ... when that holds "
            + "another run)")
    Path out;
    @Option(names = "--batch", defaultValue = "8")
    int batch;
    @Option(names = "--crop-seconds", description = "seconds per training crop (default 0.5)")
    Double cropSeconds;
    @Option(names = "--samples", description = "samples per training crop at --sample-rate (instead of --crop-seconds)")
    Integer samples;
    @Option(names = "--lr", defaultValue = "5e-4")
    double lr;
    @Option(names = "--temperature-decay", description = "wav2vec2: Gumbel temperature decay per update (default: the"
            + " small preset's, Wav2Vec2Config.SMALL_TEMPERATURE_DECAY)")
    Double temperatureDecay;
    @Option(names = "--diversity-weight", description = "wav2vec2: weight alpha of the codebook diversity loss (default:"
            + " the small preset's, Wav2Vec2Config.SMALL_DIVERSITY_WEIGHT; the paper's is 0.1)")
    Double diversityWeight;
    @Option(names = "--clusters", defaultValue = "50", description = "k-means targets (HuBERT / ILS)")
    int clusters;
    @Option(names = "--baselines", description = "file caching the random-init and MFCC probe results (shared by the"
            + " three methods: their random-init trunks are identical for one seed); reused when its key matches")
    Path baselinesFile;
    @Option(names = "--baselines-only", description = "compute (or read) the baselines and stop")
    boolean baselinesOnly;
    @Option(names = "--checkpoint-every", defaultValue = "1000", description = "steps between checkpoints (0: none)")
    int checkpointEvery;
    @Option(names = "--resume", description = "continue the run in --out from its newest valid checkpoint; the "
            + "options must be the run's (see --out/run.json)")
    boolean resume;
    @Option(names = "--overwrite", description = "delete the run in --out (run.json, results, checkpoints) and start anew")
    boolean overwrite;
    @Mixin
    Verbose verbose;

    /** The command's name in run.json. */
    static final String COMMAND = "speech-pretrain";
    /** Training crop length without {@code --crop-seconds} or {@code --samples} (4,000 samples at 8 kHz). */
    static final double DEFAULT_CROP_SECONDS = 0.5;
    /** Evaluation length without {@code --eval-max-seconds} or {@code --eval-max-samples}. */
    static final double DEFAULT_EVAL_MAX_SECONDS = 1.0;

    /** What the results record of the evaluation protocol. */
    static final String PROTOCOL = "mean-pooled layer outputs over valid frames, standardised, L-BFGS softmax probe;"
            + " layer chosen by accuracy on takes 5-9 after fitting on takes 10-49 (train only); reported on test takes 0-4";
    private static final LinearProbe PROBE = LinearProbe.withDefaults();

    /** What training left: the step count, its time, the load around it and the step reports. */
    record Run(long steps, double trainSeconds, String loadBefore, String loadAfter, List<StepReport> reports) {
    }

    /** The trainer's skipped steps and divergence warnings, for {@code results.json} ({@link RunHealth}). */
    private Map<String, Object> trainerHealth = Map.of();
    /** The recordings of this run (null until {@link #call} has planned them). */
    SpeechData.Plan plan;
    /** The layer of {@code --targets-from} that was clustered (null for MFCC targets). */
    private Integer clusteredLayer;

    /**
     * Entry point.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(ErrorHandler.execute(new SpeechPretrainExample(), args));
    }

    @Override
    public Integer call() throws IOException {
        validate();
        BlasSettings.hint().ifPresent(System.err::println);
        if (out == null) {
            Path base = Path.of("runs", "speech");
            out = resume || overwrite || baselinesOnly ? base : RunFolder.firstFree(base);
        }
        RunFolder run = null;
        if (baselinesOnly) {
            Files.createDirectories(out);
        } else {
            run = RunFolder.open(out, COMMAND, runOptions(), resume ? RunFolder.Mode.RESUME
                    : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW);
            System.out.println("Run " + run.runId() + " in " + out + (resume ? " (resumed)" : ""));
        }
        plan = SpeechData.plan(dataOptions());
        if (baselinesOnly && !plan.labelled()) {
            throw UserError.usage("--baselines-only needs labelled recordings; " + noLabels());
        }
        SpeechData.Loaded d = SpeechData.load(plan, sampleRate);
        System.out.println(describe(d));
        TimeBudget budget = new TimeBudget(minutes);
        SpeechMethodConfig cfg = new SpeechMethodConfig(trunk(), DataType.FLOAT, seed, schedule(budget), clusters,
                d.pretrain(), sampleRate, cropSamples());
        if (baselinesOnly) {
            return writeBaselines(baselines(cfg, d));
        }
        SpeechPretrainSetup setup = build(cfg);
        Run trained = train(setup, cfg.trunk(), d, budget, run);
        plot(trained.reports());
        long e0 = System.nanoTime();
        LayerProbeResult learned = plan.labelled() ? layerProbe().evaluate(setup.backbone(), d.train(), d.trainY(),
                d.heldOut(), d.test(), d.testY()) : null;
        Map<String, Object> base = plan.labelled() ? baselines(cfg, d) : Map.of();
        Map<String, Object> res = results(cfg.trunk(), trained, learned, base, (System.nanoTime() - e0) / 1e9);
        res.putAll(trainerHealth);
        res.putAll(dataFields());
        res.put("encoder_file", export(setup, cfg.trunk(), trained, learned, res).toString());
        res.put("metrics_csv", out.resolve(StepMetricsCsv.FILE_NAME).toString());
        res.put("run_id", run.runId());
        ResultsFile.write(out.resolve("results.json"), res);
        run.finish();
        System.out.println(ResultsFile.toJson(res));
        if (!plan.labelled()) {
            System.out.println("no evaluation: " + noLabels());
        }
        return 0;
    }

    /** {@code --baselines-only}: prints the baselines and writes them, with the data fields, to results.json. */
    private int writeBaselines(Map<String, Object> base) throws IOException {
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("method", "baselines");
        res.put("dataset", datasetName());
        res.putAll(base);
        res.put("seed", seed);
        res.put("config", trunk().toString());
        res.put("protocol", protocol());
        res.putAll(dataFields());
        ResultsFile.write(out.resolve("results.json"), res);
        System.out.println(ResultsFile.toJson(res));
        return 0;
    }

    /** The sentence that says why an unlabelled run has no probe, and what to pass. */
    private String noLabels() {
        return "--data " + data + " has no labels (a flat folder or an unlabelled manifest); pass --eval-data with"
                + " class folders or a labelled manifest to probe the encoder";
    }

    /** Writes the encoder file: the probed layer, or the top layer when nothing was probed. */
    private Path export(SpeechPretrainSetup setup, Wav2Vec2Config trunk, Run trained, LayerProbeResult learned,
            Map<String, Object> res) throws IOException {
        Map<String, Double> probes = new LinkedHashMap<>();
        for (String k : List.of("linear_top1", "random_init_linear_top1", "mfcc_linear_top1")) {
            if (res.get(k) instanceof Number n) {
                probes.put(k, n.doubleValue());
            }
        }
        int layer = learned == null ? trunk.numLayers() : learned.layer();
        return SpeechEncoderExport.export(setup.backbone(), trunk, setup.method(),
                SpeechPreprocessing.of(sampleRate, layer, layerProbe().embeddings()),
                EncoderProvenance.of(setup.method(), datasetName(), trained.steps(), seed, probes),
                out.resolve(EncoderFile.DEFAULT_FILE_NAME));
    }

    /** One line on the recordings the run uses. */
    private String describe(SpeechData.Loaded d) {
        return String.format(Locale.ROOT, "Data %s at %d Hz: %d pretraining recordings; probe %s", datasetName(),
                sampleRate, d.pretrain().size(), plan.labelled() ? d.train().size() + " train / " + d.test().size()
                + " test (split " + plan.split() + "; layer chosen on " + plan.layerChoice() + ")" : "none (no labels)");
    }

    /** The data options as {@link SpeechData} takes them. */
    SpeechData.Options dataOptions() {
        return new SpeechData.Options(data, layout, evalData, split, speakerFraction, holdoutSpeaker, speakerPattern,
                seed);
    }

    /** {@code results.json}'s fields on the data, model and targets (after the earlier fields). */
    private Map<String, Object> dataFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("sample_rate", sampleRate);
        m.put("split", plan.split());
        m.put("layer_choice", plan.layerChoice());
        m.put("pretrain_recordings", plan.pretrain().size());
        m.put("probe_train_recordings", plan.labelled() ? plan.probeTrain().size() : 0);
        m.put("probe_test_recordings", plan.labelled() ? plan.probeTest().size() : 0);
        m.put("holdout_speaker", holdoutSpeaker == null ? "" : holdoutSpeaker);
        m.put("targets", clusteredLayer == null ? (method.equals("wav2vec2") ? "quantised features" : "mfcc k-means")
                : "k-means of layer " + clusteredLayer + " of " + targetsFrom.toAbsolutePath().normalize());
        m.put("augment", augment == null ? "" : augment);
        return m;
    }

    /** @return the dataset's name in results and checkpoints */
    String datasetName() {
        return plan == null ? "fsdd" : plan.name();
    }

    /** @return samples per training crop: {@code --samples}, else {@code --crop-seconds} at the rate */
    int cropSamples() {
        return inSamples(samples, cropSeconds, DEFAULT_CROP_SECONDS);
    }

    /** @return the evaluation length in samples: {@code --eval-max-samples}, else {@code --eval-max-seconds} */
    int evalMaxSamples() {
        return inSamples(evalMaxSamples, evalMaxSeconds, DEFAULT_EVAL_MAX_SECONDS);
    }

    /** A length given in samples, else in seconds (else {@code defaultSeconds}) at {@code --sample-rate}. */
    private int inSamples(Integer givenSamples, Double givenSeconds, double defaultSeconds) {
        return givenSamples != null ? givenSamples
                : (int) Math.round((givenSeconds == null ? defaultSeconds : givenSeconds) * sampleRate);
    }

    /**
     * Checks every option before any data is read.
     *
     * @throws UserError naming the option, what it needs and what came
     */
    void validate() {
        if (resume && overwrite) {
            throw UserError.usage("--resume and --overwrite exclude each other; pass one");
        }
        try {
            method = SpeechMethods.resolve(method);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--method: expected one of " + SpeechMethods.NAMES + ", got '" + method + "'");
        }
        OptionChecks.atLeast("--steps", steps, 1);
        OptionChecks.atLeast("--batch", batch, 1);
        OptionChecks.between("--sample-rate", sampleRate, 1000, 192_000);
        exclusive("--samples", samples, "--crop-seconds", cropSeconds);
        exclusive("--eval-max-samples", evalMaxSamples, "--eval-max-seconds", evalMaxSeconds);
        OptionChecks.atLeast("--samples", cropSamples(), 1);
        OptionChecks.atLeast("--eval-batch", evalBatch, 1);
        OptionChecks.atLeast("--eval-max-samples", evalMaxSamples(), 1);
        OptionChecks.atLeast("--clusters", clusters, 2);
        OptionChecks.nonNegative("--checkpoint-every", checkpointEvery, "none");
        if (resume && checkpointEvery == 0) {
            throw UserError.usage("--resume needs checkpoints; --checkpoint-every 0 writes none");
        }
        OptionChecks.positiveFinite("--lr", lr);
        OptionChecks.nonNegativeFinite("--minutes", minutes, "planned in --steps");
        if (temperatureDecay != null && !(temperatureDecay > 0 && temperatureDecay <= 1)) {
            throw UserError.usage("--temperature-decay must be in (0, 1], got " + temperatureDecay);
        }
        if (diversityWeight != null && !(diversityWeight >= 0 && Double.isFinite(diversityWeight))) {
            throw UserError.usage("--diversity-weight must be a finite number >= 0, got " + diversityWeight);
        }
        validateData();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw UserError.usage("--out " + out + " is a file, expected a folder");
        }
    }

    /** Checks the data, model, split, target and augmentation options. */
    private void validateData() {
        for (Path p : evalData == null ? List.of(data) : List.of(data, evalData)) {
            if (!Files.exists(p)) {
                throw UserError.data((p == data ? "--data " : "--eval-data ") + p + " does not exist", null);
            }
        }
        if (!SpeechData.LAYOUTS.contains(layout)) {
            throw UserError.usage("--layout: expected one of " + SpeechData.LAYOUTS + ", got '" + layout + "'");
        }
        if (split != null && !SpeechData.SPLITS.contains(split)) {
            throw UserError.usage("--split: expected one of " + SpeechData.SPLITS + ", got '" + split + "'");
        }
        if (!(speakerFraction > 0 && speakerFraction < 1)) {
            throw UserError.usage("--speaker-fraction must be in (0, 1), got " + speakerFraction);
        }
        if (holdoutSpeaker != null && split != null) {
            throw UserError.usage("--holdout-speaker sets the split (its test part is that speaker); drop --split "
                    + split);
        }
        try {
            model = SpeechModelPreset.of(model).presetName();
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--model: expected one of " + SpeechModelPreset.names() + ", got '" + model + "'");
        }
        if (targetLayer != null && targetsFrom == null) {
            throw UserError.usage("--target-layer needs --targets-from (the encoder whose layer is clustered)");
        }
        if (targetsFrom != null && method.equals("wav2vec2")) {
            throw UserError.usage("--targets-from is HuBERT's iteration 2 (hubert or ils); wav2vec2 learns its own"
                    + " quantised targets");
        }
        OptionChecks.nonNegative("--target-layer", targetLayer, "the projected CNN features");
        SpeechAugment.parse(augment, sampleRate);
    }

    private static void exclusive(String a, Object va, String b, Object vb) {
        if (va != null && vb != null) {
            throw UserError.usage(a + " and " + b + " give the same length two ways; pass one");
        }
        if (vb instanceof Double d && !(d > 0 && Double.isFinite(d))) {
            throw UserError.usage(b + " must be a positive number of seconds, got " + d);
        }
    }

    /** The options that define the run, as run.json records them (a resumption must repeat them). */
    Map<String, String> runOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("method", method);
        o.put("data", data.toAbsolutePath().normalize().toString());
        o.put("steps", Integer.toString(steps));
        o.put("minutes", Double.toString(minutes));
        o.put("seed", Long.toString(seed));
        o.put("batch", Integer.toString(batch));
        o.put("samples", Integer.toString(cropSamples()));
        o.put("lr", Double.toString(lr));
        o.put("temperature-decay", String.valueOf(temperatureDecay));
        o.put("diversity-weight", String.valueOf(diversityWeight));
        o.put("clusters", Integer.toString(clusters));
        o.put("eval-batch", Integer.toString(evalBatch));
        o.put("eval-max-samples", Integer.toString(evalMaxSamples()));
        o.put("checkpoint-every", Integer.toString(checkpointEvery));
        o.put("layout", layout);
        o.put("eval-data", evalData == null ? "" : evalData.toAbsolutePath().normalize().toString());
        o.put("split", String.valueOf(split));
        o.put("speaker-fraction", Double.toString(speakerFraction));
        o.put("holdout-speaker", String.valueOf(holdoutSpeaker));
        o.put("speaker-pattern", String.valueOf(speakerPattern));
        o.put("sample-rate", Integer.toString(sampleRate));
        o.put("model", model);
        o.put("targets-from", targetsFrom == null ? "" : targetsFrom.toAbsolutePath().normalize().toString());
        o.put("target-layer", String.valueOf(targetLayer));
        o.put("augment", String.valueOf(augment));
        return o;
    }

    /** @return whether the run is planned in steps ({@code --minutes 0}) rather than by the clock */
    boolean plannedInSteps() {
        return minutes == 0;
    }

    /**
     * The learning-rate schedule: by the clock of {@code budget}, or with {@code --minutes 0} by the step,
     * warm-up over the same fraction of {@code --steps}.
     */
    LearningRateSchedule schedule(TimeBudget budget) {
        if (plannedInSteps()) {
            return WarmupCosineSchedule.toZero(lr, Math.round(TimeBudget.DEFAULT_WARMUP_FRACTION * steps), steps);
        }
        return budget.schedule(lr, TimeBudget.DEFAULT_WARMUP_FRACTION);
    }

    /** The {@code --model} preset with the wav2vec 2.0 overrides of the command line. */
    Wav2Vec2Config trunk() {
        Wav2Vec2Config trunk = SpeechModelPreset.of(model).config();
        if (temperatureDecay != null) {
            trunk = trunk.withTemperatureDecay(temperatureDecay);
        }
        if (diversityWeight != null) {
            trunk = trunk.withDiversityWeight(diversityWeight);
        }
        return trunk;
    }

    /**
     * Assembles the method (HuBERT / ILS-SSL: clusters the targets, of MFCCs or with {@code --targets-from}
     * of an earlier encoder's layer, and saves them beside the results).
     */
    SpeechPretrainSetup build(SpeechMethodConfig cfg) throws IOException {
        SpeechPretrainSetup setup = targetsFrom == null ? SpeechMethods.assemble(method, cfg)
                : SpeechMethods.assembleIteration2(method, cfg, teacherLayer());
        if (setup.targets().isPresent()) {
            setup.targets().get().save(out.resolve(clusteredLayer == null ? "kmeans-mfcc.ckpt"
                    : "kmeans-layer" + clusteredLayer + ".ckpt"));
        }
        return setup;
    }

    /**
     * The frames of {@code --target-layer} of the {@code --targets-from} encoder, HuBERT's iteration-2
     * features; they are computed on the training crops, so the encoder must be of this run's rate.
     */
    Function<INDArray, INDArray> teacherLayer() throws IOException {
        Path file = Files.isDirectory(targetsFrom) ? targetsFrom.resolve(EncoderFile.DEFAULT_FILE_NAME) : targetsFrom;
        if (!Files.isRegularFile(file)) {
            throw UserError.data("--targets-from: no encoder file at " + file, null);
        }
        SpeechEncoder teacher = SpeechEncoder.load(file);
        if (teacher.preprocessing().sampleRate() != sampleRate) {
            throw UserError.usage("--targets-from " + file + " was trained at " + teacher.preprocessing().sampleRate()
                    + " Hz, expected this run's --sample-rate " + sampleRate);
        }
        int layer = targetLayer == null ? teacher.preprocessing().layer() : targetLayer;
        if (layer > teacher.trunk().numLayers()) {
            throw UserError.usage("--target-layer must be in [0, " + teacher.trunk().numLayers() + "] for " + file
                    + ", got " + layer);
        }
        clusteredLayer = layer;
        System.out.println("Iteration-2 targets: k-means of layer " + layer + " of " + teacher);
        return w -> teacher.layerFrames(w, layer);
    }

    /**
     * Trains until the step limit or the time budget, whichever comes first, or with {@code --minutes 0}
     * until the step limit (from the newest checkpoint on --resume).
     */
    Run train(SpeechPretrainSetup setup, Wav2Vec2Config trunk, SpeechData.Loaded d, TimeBudget budget, RunFolder run)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(Map.of("method", method, "dataset", datasetName(), "config",
                trunk.toString()));
        meta.putAll(run.checkpointMetadata());
        // every checkpoint exports to an encoder file on its own (reading the top layer: the probe has not
        // chosen one yet), a killed run's too
        meta.putAll(SpeechEncoderExport.recipeMetadata(trunk, setup.method(),
                SpeechPreprocessing.of(sampleRate, trunk.numLayers(), layerProbe().embeddings())));
        Trainer.Config tc = Trainer.Config.of(seed, steps).withMetadata(meta);
        if (checkpointEvery > 0) {
            tc = tc.withCheckpoints(run.checkpoints(), checkpointEvery);
        }
        Trainer trainer = new Trainer(tc, setup.encoder(), setup.objective(), setup.optimizer());
        if (resume) {
            Optional<Checkpoint> c = run.latestCheckpoint(new CheckpointStore(run.checkpoints(), 1));
            if (c.isPresent()) {
                trainer.restore(c.get());
                System.out.printf("Resuming at step %d%n", trainer.currentStep());
            }
        }
        List<StepReport> reports = new ArrayList<>();
        trainer.addListener(r -> {
            reports.add(r);
            if (r.step() % 50 == 0) {
                System.out.printf(Locale.ROOT, "step %d  %.1f s  lr %.2e  loss %.4f  acc %.3f%n", r.step(),
                        budget.elapsedSeconds(), r.learningRate(), r.loss(),
                        r.metrics().getOrDefault("accuracy", Double.NaN));
            }
        });
        CropBatchSource source = batches(d.pretrain());
        String loadBefore = loadAverage();
        budget.start();
        boolean byClock = !plannedInSteps();
        try (StepMetricsCsv metrics = StepMetricsCsv.open(run.dir().resolve(StepMetricsCsv.FILE_NAME),
                trainer.currentStep())) {
            trainer.addListener(metrics);
            while (trainer.currentStep() < steps && !(byClock && budget.expired())) {
                long t0 = System.nanoTime();
                List<INDArray> views = source.views(trainer.currentStep());
                metrics.dataWait(System.nanoTime() - t0);
                trainer.step(views, source.stepsPerEpoch());
            }
        }
        double trainSeconds = budget.elapsedSeconds();
        trainerHealth = RunHealth.fields(trainer);
        return new Run(trainer.currentStep(), trainSeconds, loadBefore, loadAverage(), reports);
    }

    /** The training crops of {@code audio}, through the {@code --augment} views. */
    CropBatchSource batches(List<float[]> audio) {
        return new CropBatchSource(audio, batch, cropSamples(), seed, SpeechAugment.parse(augment, sampleRate));
    }

    LayerProbe layerProbe() {
        return new LayerProbe(new LayerEmbeddings(evalBatch, evalMaxSamples(), LayerEmbeddings.DEFAULT_WIDTH_QUANTUM),
                PROBE, LayerProbe.DEFAULT_SELECTOR);
    }

    /** The fields of {@code results.json}, in the order the earlier hand-written writer used. */
    Map<String, Object> results(Wav2Vec2Config trunk, Run run, LayerProbeResult learned, Map<String, Object> base,
            double evalSeconds) {
        StepReport last = run.reports().isEmpty() ? null : run.reports().get(run.reports().size() - 1);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("method", method);
        res.put("dataset", datasetName());
        res.put("train_seconds", run.trainSeconds());
        if (learned != null) {
            res.put("linear_top1", learned.testTop1());
            res.put("random_init_linear_top1", base.get("random_init_linear_top1"));
            res.put("mfcc_linear_top1", base.get("mfcc_linear_top1"));
            if (base.containsKey("mfcc_mean_std_linear_top1")) {
                res.put("mfcc_mean_std_linear_top1", base.get("mfcc_mean_std_linear_top1"));
            }
            res.put("probe_layer", learned.layer());
            res.put("random_init_probe_layer", base.get("random_init_probe_layer"));
            res.put("heldout_top1_by_layer", learned.heldOutByLayer());
            res.put("random_init_heldout_top1_by_layer", base.get("random_init_heldout_top1_by_layer"));
        }
        res.put("steps", run.steps());
        res.put("minutes_budget", minutes);
        res.put("eval_seconds", evalSeconds);
        res.put("cpus", Runtime.getRuntime().availableProcessors());
        res.put("openblas_coretype", BlasSettings.coretype());
        res.put("load_average_before_after_training", run.loadBefore() + " / " + run.loadAfter());
        res.put("seed", seed);
        res.put("batch", batch);
        res.put("samples", cropSamples());
        res.put("lr", lr);
        res.put("final_loss", last == null ? Double.NaN : last.loss());
        res.put("final_metrics", last == null ? Map.of() : last.metrics());
        res.put("config", trunk.toString());
        res.put("protocol", learned == null ? "none: no labelled recordings" : protocol());
        return res;
    }

    /** The evaluation protocol in words: {@link #PROTOCOL} for FSDD's take split. */
    String protocol() {
        if (plan == null || plan.split().equals("take")) {
            return PROTOCOL;
        }
        return "mean-pooled layer outputs over valid frames, standardised, L-BFGS softmax probe; layer chosen by"
                + " accuracy on " + plan.layerChoice() + " (train only); reported on the test part of split "
                + plan.split();
    }

    /**
     * Random-init and MFCC probe results. Every method's model draws its trunk first from the same
     * seed, so the random-init trunk is the same for all three and can be cached in {@link #baselinesFile}.
     */
    private Map<String, Object> baselines(SpeechMethodConfig cfg, SpeechData.Loaded d) throws IOException {
        // the split and the rate are part of the key: every LOSO fold has the same sizes but other recordings
        String key = cfg.trunk() + "|seed=" + cfg.modelSeed() + "|evalBatch=" + evalBatch + "|evalMax=" + evalMaxSamples()
                + "|quantum=" + LayerEmbeddings.DEFAULT_WIDTH_QUANTUM + "|data=" + data.toAbsolutePath().normalize()
                + "|eval=" + (evalData == null ? "" : evalData.toAbsolutePath().normalize()) + "|split=" + plan.split()
                + "|layerChoice=" + plan.layerChoice() + "|rate=" + sampleRate + "|n=" + d.train().size() + "/"
                + d.test().size();
        Properties cache = new Properties();
        if (baselinesFile != null && Files.exists(baselinesFile)) {
            try (var in = Files.newBufferedReader(baselinesFile, StandardCharsets.UTF_8)) {
                cache.load(in);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (key.equals(cache.getProperty("key"))) {
            m.put("random_init_linear_top1", Double.parseDouble(cache.getProperty("random_init_linear_top1")));
            m.put("random_init_probe_layer", Integer.parseInt(cache.getProperty("random_init_probe_layer")));
            List<Double> by = new ArrayList<>();
            for (String v : cache.getProperty("random_init_heldout_top1_by_layer").split(",")) {
                by.add(Double.parseDouble(v));
            }
            m.put("random_init_heldout_top1_by_layer", by);
            m.put("mfcc_linear_top1", Double.parseDouble(cache.getProperty("mfcc_linear_top1")));
            m.put("mfcc_mean_std_linear_top1", Double.parseDouble(cache.getProperty("mfcc_mean_std_linear_top1")));
            System.out.println("baselines read from " + baselinesFile);
            return m;
        }
        SpeechBackbone random = new SpeechBackbone(cfg.trunk(), DataType.FLOAT, new SplittableRandom(cfg.modelSeed()));
        LayerProbeResult r = layerProbe().evaluate(random, d.train(), d.trainY(), d.heldOut(), d.test(), d.testY());
        Mfcc mfcc = Mfcc.hubert(sampleRate);
        LinearProbeResult mfccProbe = PROBE.evaluate(MfccMeans.of(mfcc, d.train()), d.trainY(),
                MfccMeans.of(mfcc, d.test()), d.testY());
        m.put("random_init_linear_top1", r.testTop1());
        m.put("random_init_probe_layer", r.layer());
        m.put("random_init_heldout_top1_by_layer", r.heldOutByLayer());
        m.put("mfcc_linear_top1", mfccProbe.testAccuracy());
        m.put("mfcc_mean_std_linear_top1", PROBE.evaluate(MfccMeans.meanAndStd(mfcc, d.train()), d.trainY(),
                MfccMeans.meanAndStd(mfcc, d.test()), d.testY()).testAccuracy());
        if (baselinesFile != null) {
            Properties p = new Properties();
            p.setProperty("key", key);
            for (Map.Entry<String, Object> e : m.entrySet()) {
                String v = e.getValue() instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(e.getValue());
                p.setProperty(e.getKey(), v);
            }
            try (var w = Files.newBufferedWriter(baselinesFile, StandardCharsets.UTF_8)) {
                p.store(w, "SpeechPretrainExample baselines");
            }
        }
        return m;
    }

    /** The 1/5/15-minute load averages (Linux), to judge timings taken on a shared machine. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void plot(List<StepReport> reports) throws IOException {
        double[] x = new double[reports.size()];
        double[] loss = new double[reports.size()];
        double[] acc = new double[reports.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = reports.get(i).step();
            loss[i] = reports.get(i).loss();
            acc[i] = reports.get(i).metrics().getOrDefault("accuracy", Double.NaN);
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title(method + " on " + datasetName()).xAxisTitle("step").build();
        chart.addSeries("loss", x, loss);
        chart.addSeries("masked-prediction accuracy", x, acc);
        BitmapEncoder.saveBitmap(chart, out.resolve("loss").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
