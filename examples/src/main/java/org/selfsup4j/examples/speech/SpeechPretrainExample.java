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
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.core.eval.LinearProbeResult;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.train.BatchSource;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.speech.data.AudioFolderDataset;
import org.selfsup4j.speech.data.Fsdd;
import org.selfsup4j.speech.features.Mfcc;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.HubertModel;
import org.selfsup4j.speech.model.HubertObjective;
import org.selfsup4j.speech.model.KMeansFrameLabeler;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;
import org.selfsup4j.speech.model.Wav2Vec2Objective;
import org.selfsup4j.speech.model.cluster.KMeansModel;
import org.selfsup4j.speech.model.cluster.MiniBatchKMeans;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Speech pre-training on a folder of recordings (FSDD by default) with wav2vec 2.0, HuBERT (iteration
 * 1, MFCC k-means targets) or ILS-SSL within a time budget ({@code --minutes}), then a linear probe on
 * mean-pooled layer outputs against two baselines: the same architecture at random initialisation,
 * and mean-pooled MFCCs (39-dim with deltas, over each utterance's own frames).
 *
 * <p>Audio stays at FSDD's 8 kHz; each utterance is normalised to zero mean and unit variance. Training
 * takes random crops of {@code --samples} (shorter utterances zero-padded at a random offset).
 * Evaluation embeds whole utterances (up to {@code --eval-max-samples}), batched by length, pooling
 * only over valid frames. Every layer 0..L is embedded in one forward; the probed layer is the one with
 * the best accuracy on train takes 5-9 after fitting on takes 10-49 (the test takes 0-4 are never used
 * for the choice), chosen separately for the trained and the random-init model. The model is
 * {@link Wav2Vec2Config#small()} (80 samples = 10 ms per frame at 8 kHz, which is also the MFCC hop,
 * so HuBERT targets align frame by frame). Writes {@code loss.png} and {@code results.json}.
 */
@Command(name = "SpeechPretrainExample", mixinStandardHelpOptions = true,
        description = "wav2vec 2.0 / HuBERT / ILS-SSL pre-training and linear-probe evaluation on FSDD.")
public final class SpeechPretrainExample implements Callable<Integer> {
    @Option(names = "--method", required = true, description = "wav2vec2 | hubert | ils")
    String method;
    @Option(names = "--data", defaultValue = "../shared/datasets/fsdd", description = "FSDD folder")
    Path data;
    @Option(names = "--steps", defaultValue = "100000", description = "step limit (the time budget usually ends training first)")
    int steps;
    @Option(names = "--minutes", defaultValue = "25", description = "training time budget; the learning-rate schedule follows the clock")
    double minutes;
    @Option(names = "--eval-batch", defaultValue = "32", description = "utterances per evaluation forward (grouped by length)")
    int evalBatch;
    @Option(names = "--eval-max-samples", defaultValue = "8000", description = "longer test/train utterances are centre-cropped")
    int evalMaxSamples;
    @Option(names = "--seed", defaultValue = "0")
    long seed;
    @Option(names = "--out", defaultValue = "runs/speech")
    Path out;
    @Option(names = "--batch", defaultValue = "8")
    int batch;
    @Option(names = "--samples", defaultValue = "4000", description = "samples per training crop (8 kHz)")
    int samples;
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
    @Option(names = "--checkpoint-every", defaultValue = "1000")
    int checkpointEvery;

    private static final int EVAL_WIDTH_QUANTUM = 800;
    private final Mfcc mfcc = Mfcc.hubert(Fsdd.SAMPLE_RATE);

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpeechPretrainExample()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        AudioFolderDataset all = Fsdd.load(data);
        AudioFolderDataset.Split split = all.split(Fsdd.IS_TEST);
        List<float[]> train = load(split.train());
        List<float[]> test = load(split.test());
        int[] trainY = labels(split.train());
        int[] testY = labels(split.test());
        // Layer selection never looks at the test takes: takes 5-9 of TRAIN are the held-out part.
        boolean[] heldOut = new boolean[split.train().size()];
        for (int i = 0; i < heldOut.length; i++) {
            heldOut[i] = Integer.parseInt(split.train().get(i).group("index")) < 10;
        }
        Wav2Vec2Config trunk = Wav2Vec2Config.small();
        if (temperatureDecay != null) {
            trunk = trunk.withTemperatureDecay(temperatureDecay);
        }
        if (diversityWeight != null) {
            trunk = trunk.withDiversityWeight(diversityWeight);
        }
        long modelSeed = Seeds.mix(seed, 1);
        if (baselinesOnly) {
            System.out.println(baselines(trunk, modelSeed, train, trainY, heldOut, test, testY));
            return 0;
        }

        Encoder encoder;
        Objective objective;
        SpeechBackbone backbone;
        if (method.equals("wav2vec2")) {
            Wav2Vec2Model m = new Wav2Vec2Model(trunk, DataType.FLOAT, modelSeed);
            encoder = m.featureEncoder();
            objective = new Wav2Vec2Objective(m);
            backbone = m.backbone();
        } else if (method.equals("hubert") || method.equals("ils")) {
            KMeansModel km = mfccClusters(train);
            km.save(out.resolve("kmeans-mfcc.ckpt"));
            HubertConfig hc = method.equals("hubert") ? HubertConfig.hubert(trunk, clusters, 128)
                    : HubertConfig.ilsSsl(trunk, clusters, 128, 1, trunk.numLayers());
            HubertModel m = new HubertModel(hc, DataType.FLOAT, modelSeed);
            encoder = m.featureEncoder();
            objective = new HubertObjective(m, new KMeansFrameLabeler(this::mfccFrames, km));
            backbone = m.backbone();
        } else {
            throw new CommandLine.ParameterException(new CommandLine(this), "unknown method " + method);
        }

        // The schedule follows the wall clock (warm-up over the first 8% of the budget, then cosine to
        // zero at the end of it), so a run fits its time budget on any machine; the step count it
        // reached is recorded. Runs are therefore not bit-reproducible across machines.
        long budgetNanos = (long) (minutes * 60e9);
        long[] started = {0};
        LearningRateSchedule clock = step -> {
            double p = started[0] == 0 ? 0 : Math.min(1.0, (System.nanoTime() - started[0]) / (double) budgetNanos);
            double warm = 0.08;
            return p < warm ? lr * Math.max(p, 1e-3) / warm : lr * 0.5 * (1 + Math.cos(Math.PI * (p - warm) / (1 - warm)));
        };
        Trainer.Config tc = Trainer.Config.of(seed, steps)
                .withMetadata(Map.of("method", method, "dataset", "fsdd", "config", trunk.toString()));
        if (checkpointEvery > 0) {
            tc = tc.withCheckpoints(out.resolve("checkpoints"), checkpointEvery);
        }
        Trainer trainer = new Trainer(tc, encoder, objective, Adam.builder(clock).build());
        List<StepReport> reports = new ArrayList<>();
        trainer.addListener(r -> {
            reports.add(r);
            if (r.step() % 50 == 0) {
                System.out.printf(Locale.ROOT, "step %d  %.1f s  lr %.2e  loss %.4f  acc %.3f%n", r.step(),
                        (System.nanoTime() - started[0]) / 1e9, r.learningRate(), r.loss(),
                        r.metrics().getOrDefault("accuracy", Double.NaN));
            }
        });
        BatchSource source = source(train);
        String loadBefore = loadAverage();
        started[0] = System.nanoTime();
        while (trainer.currentStep() < steps && System.nanoTime() - started[0] < budgetNanos) {
            trainer.step(source.views(trainer.currentStep()), source.stepsPerEpoch());
        }
        double trainSeconds = (System.nanoTime() - started[0]) / 1e9;
        String loadAfter = loadAverage();
        plot(reports);

        long e0 = System.nanoTime();
        Map<String, Object> learned = probeLayers(backbone, train, trainY, heldOut, test, testY, PROBE, SELECTOR);
        Map<String, Object> base = baselines(trunk, modelSeed, train, trainY, heldOut, test, testY);
        double evalSeconds = (System.nanoTime() - e0) / 1e9;

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("method", method);
        res.put("dataset", "fsdd");
        res.put("train_seconds", trainSeconds);
        res.put("linear_top1", learned.get("test_top1"));
        res.put("random_init_linear_top1", base.get("random_init_linear_top1"));
        res.put("mfcc_linear_top1", base.get("mfcc_linear_top1"));
        res.put("probe_layer", learned.get("layer"));
        res.put("random_init_probe_layer", base.get("random_init_probe_layer"));
        res.put("heldout_top1_by_layer", learned.get("heldout_by_layer"));
        res.put("random_init_heldout_top1_by_layer", base.get("random_init_heldout_top1_by_layer"));
        res.put("steps", trainer.currentStep());
        res.put("minutes_budget", minutes);
        res.put("eval_seconds", evalSeconds);
        res.put("cpus", Runtime.getRuntime().availableProcessors());
        res.put("load_average_before_after_training", loadBefore + " / " + loadAfter);
        res.put("seed", seed);
        res.put("batch", batch);
        res.put("samples", samples);
        res.put("lr", lr);
        res.put("final_loss", reports.isEmpty() ? Double.NaN : reports.get(reports.size() - 1).loss());
        res.put("final_metrics", reports.isEmpty() ? Map.of() : reports.get(reports.size() - 1).metrics());
        res.put("config", trunk.toString());
        res.put("protocol", "mean-pooled layer outputs over valid frames, standardised, L-BFGS softmax probe; layer chosen"
                + " by accuracy on takes 5-9 after fitting on takes 10-49 (train only); reported on test takes 0-4");
        Files.writeString(out.resolve("results.json"), json(res, ""), StandardCharsets.UTF_8);
        System.out.println(json(res, ""));
        return 0;
    }

    private static final LinearProbe PROBE = LinearProbe.withDefaults();
    private static final LinearProbe SELECTOR = LinearProbe.builder().lambdas(1e-4, 1e-3, 1e-2, 1e-1).build();

    /**
     * Random-init and MFCC probe results. Every method's model draws its trunk first from the same
     * seed, so the random-init trunk is the same for all three and can be cached in {@link #baselinesFile}.
     */
    private Map<String, Object> baselines(Wav2Vec2Config trunk, long modelSeed, List<float[]> train, int[] trainY,
            boolean[] heldOut, List<float[]> test, int[] testY) throws IOException {
        String key = trunk + "|seed=" + modelSeed + "|evalBatch=" + evalBatch + "|evalMax=" + evalMaxSamples
                + "|quantum=" + EVAL_WIDTH_QUANTUM + "|data=" + data.toAbsolutePath().normalize() + "|n=" + train.size()
                + "/" + test.size();
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
            System.out.println("baselines read from " + baselinesFile);
            return m;
        }
        SpeechBackbone random = new SpeechBackbone(trunk, DataType.FLOAT, new SplittableRandom(modelSeed));
        Map<String, Object> r = probeLayers(random, train, trainY, heldOut, test, testY, PROBE, SELECTOR);
        LinearProbeResult mfccProbe = PROBE.evaluate(mfccPooled(train), trainY, mfccPooled(test), testY);
        m.put("random_init_linear_top1", r.get("test_top1"));
        m.put("random_init_probe_layer", r.get("layer"));
        m.put("random_init_heldout_top1_by_layer", r.get("heldout_by_layer"));
        m.put("mfcc_linear_top1", mfccProbe.testAccuracy());
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

    /**
     * Embeds every layer once, picks the layer with the best held-out accuracy (fit on the other train
     * takes), then reports that layer's probe fitted on all train takes and tested on the test takes.
     */
    private Map<String, Object> probeLayers(SpeechBackbone b, List<float[]> train, int[] trainY, boolean[] heldOut,
            List<float[]> test, int[] testY, LinearProbe probe, LinearProbe selector) {
        long t0 = System.nanoTime();
        List<INDArray> trainE = embedLayers(b, train);
        List<INDArray> testE = embedLayers(b, test);
        System.out.printf(Locale.ROOT, "embedded %d + %d utterances in %.1f s%n", train.size(), test.size(),
                (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        int[] fitIdx = indices(heldOut, false);
        int[] valIdx = indices(heldOut, true);
        List<Double> byLayer = new ArrayList<>();
        int best = 0;
        for (int l = 0; l < trainE.size(); l++) {
            LinearProbeResult r = selector.evaluate(trainE.get(l).getRows(fitIdx), pick(trainY, fitIdx),
                    trainE.get(l).getRows(valIdx), pick(trainY, valIdx));
            byLayer.add(r.testAccuracy());
            if (r.testAccuracy() > byLayer.get(best)) {
                best = l;
            }
        }
        LinearProbeResult fin = probe.evaluate(trainE.get(best), trainY, testE.get(best), testY);
        System.out.printf(Locale.ROOT, "probes: held-out by layer %s, layer %d test %.4f, %.1f s%n", byLayer, best,
                fin.testAccuracy(), (System.nanoTime() - t0) / 1e9);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", best);
        m.put("heldout_by_layer", byLayer);
        m.put("test_top1", fin.testAccuracy());
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

    private static int[] indices(boolean[] flags, boolean value) {
        int c = 0;
        for (boolean f : flags) {
            c += f == value ? 1 : 0;
        }
        int[] idx = new int[c];
        c = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                idx[c++] = i;
            }
        }
        return idx;
    }

    private static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }

    private List<float[]> load(AudioFolderDataset d) {
        List<float[]> xs = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.loadMono(i, Fsdd.SAMPLE_RATE);
            double mean = 0;
            for (float v : x) {
                mean += v;
            }
            mean /= x.length;
            double var = 0;
            for (float v : x) {
                var += (v - mean) * (v - mean);
            }
            double sd = Math.sqrt(var / x.length) + 1e-5;
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) ((x[j] - mean) / sd);
            }
            xs.add(x);
        }
        return xs;
    }

    private static int[] labels(AudioFolderDataset d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.get(i).labelIndex();
        }
        return y;
    }

    /** Crop (random offset when rng is given, else centred) or zero-pad to {@link #samples}. */
    private float[] fit(float[] x, SplittableRandom rng) {
        float[] y = new float[samples];
        if (x.length >= samples) {
            int off = rng == null ? (x.length - samples) / 2 : rng.nextInt(x.length - samples + 1);
            System.arraycopy(x, off, y, 0, samples);
        } else {
            int off = rng == null ? (samples - x.length) / 2 : rng.nextInt(samples - x.length + 1);
            System.arraycopy(x, 0, y, off, x.length);
        }
        return y;
    }

    private BatchSource source(List<float[]> train) {
        return new BatchSource() {
            @Override
            public List<INDArray> views(long step) {
                SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, 99));
                float[][] b = new float[batch][];
                for (int i = 0; i < batch; i++) {
                    b[i] = fit(train.get(rng.nextInt(train.size())), rng);
                }
                return List.of(Nd4j.createFromArray(b));
            }

            @Override
            public long stepsPerEpoch() {
                return Math.max(1, train.size() / batch);
            }
        };
    }

    private INDArray mfccFrames(INDArray waveforms) {
        int n = (int) waveforms.size(0);
        float[][][] f = new float[n][][];
        for (int i = 0; i < n; i++) {
            f[i] = mfcc.computeWithDeltas(waveforms.getRow(i).toFloatVector());
        }
        return Nd4j.createFromArray(f);
    }

    private KMeansModel mfccClusters(List<float[]> train) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 7));
        List<float[]> frames = new ArrayList<>();
        for (int i = 0; i < Math.min(600, train.size()); i++) {
            float[][] m = mfcc.computeWithDeltas(fit(train.get(rng.nextInt(train.size())), rng));
            frames.addAll(List.of(m));
        }
        return new MiniBatchKMeans(clusters, 1024, 300, 10000, Seeds.mix(seed, 8))
                .fit(Nd4j.createFromArray(frames.toArray(new float[0][])));
    }

    /**
     * Mean-pooled outputs of layers 0..L for every utterance, from one forward per batch of
     * similar-length utterances (sorted by length, padded to the batch's longest, at most
     * {@link #evalMaxSamples} samples with longer ones centre-cropped).
     */
    private List<INDArray> embedLayers(SpeechBackbone backbone, List<float[]> xs) {
        Integer[] order = new Integer[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> xs.get(i).length));
        List<float[][]> rows = null;
        for (int s = 0; s < order.length; s += evalBatch) {
            int e = Math.min(order.length, s + evalBatch);
            // Widths rounded up to whole 0.1 s keep the number of distinct batch shapes (each one
            // reallocates the model's buffers) small; the extra samples are masked padding.
            int longest = Math.min(evalMaxSamples, xs.get(order[e - 1]).length);
            int width = Math.min(evalMaxSamples, (longest + EVAL_WIDTH_QUANTUM - 1) / EVAL_WIDTH_QUANTUM * EVAL_WIDTH_QUANTUM);
            float[][] b = new float[e - s][width];
            int[] lengths = new int[e - s];
            for (int i = s; i < e; i++) {
                float[] x = xs.get(order[i]);
                int len = Math.min(width, x.length);
                System.arraycopy(x, (x.length - len) / 2, b[i - s], 0, len);
                lengths[i - s] = len;
            }
            List<INDArray> pooled = backbone.meanPooledLayers(Nd4j.createFromArray(b), lengths);
            if (rows == null) {
                rows = new ArrayList<>();
                for (int l = 0; l < pooled.size(); l++) {
                    rows.add(new float[xs.size()][]);
                }
            }
            for (int l = 0; l < pooled.size(); l++) {
                float[][] p = pooled.get(l).toFloatMatrix();
                for (int i = s; i < e; i++) {
                    rows.get(l)[order[i]] = p[i - s];
                }
            }
        }
        List<INDArray> outs = new ArrayList<>();
        for (float[][] r : rows) {
            outs.add(Nd4j.createFromArray(r).castTo(DataType.DOUBLE));
        }
        return outs;
    }

    private INDArray mfccPooled(List<float[]> xs) {
        double[][] out = new double[xs.size()][];
        for (int i = 0; i < xs.size(); i++) {
            float[][] m = mfcc.computeWithDeltas(xs.get(i));
            double[] mean = new double[m[0].length];
            for (float[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    mean[j] += row[j] / m.length;
                }
            }
            out[i] = mean;
        }
        return Nd4j.createFromArray(out);
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
        XYChart chart = new XYChartBuilder().width(800).height(500).title(method + " on FSDD").xAxisTitle("step").build();
        chart.addSeries("loss", x, loss);
        chart.addSeries("masked-prediction accuracy", x, acc);
        BitmapEncoder.saveBitmap(chart, out.resolve("loss").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String json(Object o, String indent) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(indent).append("  \"").append(e.getKey()).append("\": ").append(json(e.getValue(), indent + "  "));
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append("}").toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(json(l.get(i), indent));
            }
            return sb.append("]").toString();
        }
        if (o instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? n.toString() : "null";
        }
        return "\"" + String.valueOf(o).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
