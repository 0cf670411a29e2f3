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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
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
import org.selfsup4j.core.optim.WarmupCosineSchedule;
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
 * 1, MFCC k-means targets) or ILS-SSL, then a linear probe on mean-pooled layer outputs against two
 * baselines: the same architecture at random initialisation, and mean-pooled MFCCs (39-dim with deltas).
 *
 * <p>Audio stays at FSDD's 8 kHz; each utterance is normalised to zero mean and unit variance and
 * cropped (random crop in training, centre crop in evaluation) or zero-padded to {@code --samples}.
 * The model is {@link Wav2Vec2Config#small()} (80 samples = 10 ms per frame at 8 kHz, which is also
 * the MFCC hop, so HuBERT targets align frame by frame). Writes checkpoints, {@code loss.png} and
 * {@code results.json} into the output folder.
 */
@Command(name = "SpeechPretrainExample", mixinStandardHelpOptions = true,
        description = "wav2vec 2.0 / HuBERT / ILS-SSL pre-training and linear-probe evaluation on FSDD.")
public final class SpeechPretrainExample implements Callable<Integer> {
    @Option(names = "--method", required = true, description = "wav2vec2 | hubert | ils")
    String method;
    @Option(names = "--data", defaultValue = "../shared/datasets/fsdd", description = "FSDD folder")
    Path data;
    @Option(names = "--steps", defaultValue = "1000")
    int steps;
    @Option(names = "--seed", defaultValue = "0")
    long seed;
    @Option(names = "--out", defaultValue = "runs/speech")
    Path out;
    @Option(names = "--batch", defaultValue = "8")
    int batch;
    @Option(names = "--samples", defaultValue = "6000", description = "samples per utterance (8 kHz)")
    int samples;
    @Option(names = "--lr", defaultValue = "5e-4")
    double lr;
    @Option(names = "--clusters", defaultValue = "50", description = "k-means targets (HuBERT / ILS)")
    int clusters;
    @Option(names = "--layer", defaultValue = "-1", description = "layer probed (-1: the last)")
    int layer;
    @Option(names = "--checkpoint-every", defaultValue = "500")
    int checkpointEvery;

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
        Wav2Vec2Config trunk = Wav2Vec2Config.small();
        int probeLayer = layer < 0 ? trunk.numLayers() : layer;

        Encoder encoder;
        Objective objective;
        SpeechBackbone backbone;
        long modelSeed = Seeds.mix(seed, 1);
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

        Trainer trainer = new Trainer(Trainer.Config.of(seed, steps).withCheckpoints(out.resolve("checkpoints"), checkpointEvery)
                .withMetadata(Map.of("method", method, "dataset", "fsdd", "config", trunk.toString())),
                encoder, objective,
                Adam.builder(new WarmupCosineSchedule(lr, Math.max(1, steps / 12), steps, 0.0)).build());
        List<StepReport> reports = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ProgressBar pb = new ProgressBar(method, steps)) {
            trainer.addListener(r -> {
                reports.add(r);
                pb.step();
                pb.setExtraMessage(String.format(Locale.ROOT, "loss %.3f acc %.3f", r.loss(),
                        r.metrics().getOrDefault("accuracy", Double.NaN)));
            });
            trainer.fit(source(train));
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        plot(reports);

        LinearProbe probe = LinearProbe.withDefaults();
        LinearProbeResult learned = probe.evaluate(embed(backbone, train, probeLayer), trainY, embed(backbone, test, probeLayer), testY);
        SpeechBackbone random = method.equals("wav2vec2") ? new Wav2Vec2Model(trunk, DataType.FLOAT, modelSeed).backbone()
                : new HubertModel(HubertConfig.hubert(trunk, clusters, 128), DataType.FLOAT, modelSeed).backbone();
        LinearProbeResult randomInit = probe.evaluate(embed(random, train, probeLayer), trainY, embed(random, test, probeLayer), testY);
        LinearProbeResult mfccProbe = probe.evaluate(mfccPooled(train), trainY, mfccPooled(test), testY);

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("method", method);
        res.put("dataset", "fsdd");
        res.put("steps", steps);
        res.put("seed", seed);
        res.put("batch", batch);
        res.put("samples", samples);
        res.put("probe_layer", probeLayer);
        res.put("train_seconds", trainSeconds);
        res.put("final_loss", reports.get(reports.size() - 1).loss());
        res.put("final_metrics", reports.get(reports.size() - 1).metrics());
        res.put("linear_top1", learned.testAccuracy());
        res.put("random_init_linear_top1", randomInit.testAccuracy());
        res.put("mfcc_linear_top1", mfccProbe.testAccuracy());
        res.put("config", trunk.toString());
        Files.writeString(out.resolve("results.json"), json(res, ""), StandardCharsets.UTF_8);
        System.out.println(json(res, ""));
        return 0;
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

    private INDArray embed(SpeechBackbone backbone, List<float[]> xs, int probeLayer) {
        List<INDArray> parts = new ArrayList<>();
        int chunk = 50;
        for (int s = 0; s < xs.size(); s += chunk) {
            int e = Math.min(xs.size(), s + chunk);
            float[][] b = new float[e - s][];
            for (int i = s; i < e; i++) {
                b[i - s] = fit(xs.get(i), null);
            }
            parts.add(backbone.meanPooled(Nd4j.createFromArray(b), probeLayer));
        }
        return Nd4j.vstack(parts.toArray(new INDArray[0])).castTo(DataType.DOUBLE);
    }

    private INDArray mfccPooled(List<float[]> xs) {
        double[][] out = new double[xs.size()][];
        for (int i = 0; i < xs.size(); i++) {
            float[][] m = mfcc.computeWithDeltas(fit(xs.get(i), null));
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
        if (o instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? n.toString() : "null";
        }
        return "\"" + String.valueOf(o).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
