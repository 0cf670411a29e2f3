package org.selfsup4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.spark.Collective;
import org.selfsup4j.spark.CommunicationStats;
import org.selfsup4j.spark.DataParallelConfig;
import org.selfsup4j.spark.DataParallelRun;
import org.selfsup4j.spark.Replica;
import org.selfsup4j.spark.ReplicaFactory;
import org.selfsup4j.spark.ShardSource;
import org.selfsup4j.spark.SparkDataParallel;
import org.selfsup4j.spark.SyncBatchNorm;
import org.selfsup4j.spark.WorkerResult;
import org.selfsup4j.speech.methods.Wav2Vec2Objective;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.MethodOptions;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;

/**
 * Data-parallel SimCLR steps on Spark in local mode: the library's own assembly ({@code Methods.assemble},
 * ConvNet backbone, SyncBatchNorm) on W = 1, 2 barrier tasks, with and without the barrier wake-up,
 * reporting steps per second, the share of each step spent inside all-gather and the bytes exchanged
 * (which {@code benchmarks/README.md}'s cost model predicts). Run by {@code scripts/spark_scaling.sh};
 * writes a Markdown table to stdout and to the file given as the first argument.
 *
 * <p>Arguments: {@code out.md [width] [batch] [steps]} (defaults 32, 32, 4), or
 * {@code out.md speech [batch] [steps]} for wav2vec 2.0 small (batch 8). A first local[1] run warms
 * the JIT up and is not reported.
 */
public final class SparkScaling {
    private static final int IMAGE = 32;
    /** 0.5 s at 8 kHz, the speech small preset's crops. */
    private static final int SPEECH_SAMPLES = 4000;

    private SparkScaling() {
    }

    /** SimCLR on a ConvNet of {@code width}, float32, batch norms synchronised over the workers. */
    record SimClrConvNet(int width, long steps) implements ReplicaFactory {
        PretrainSetup setup(Collective collective) {
            MethodConfig cfg = new MethodConfig(new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, width, DataType.FLOAT, 1),
                    IMAGE, steps, MethodConfig.DEFAULT_LEARNING_RATE, 0, 0,
                    new Normalize(Normalize.CIFAR10_MEAN, Normalize.CIFAR10_STD));
            return Methods.assemble("simclr", collective == null ? cfg : cfg.withNorm(SyncBatchNorm.factory(collective)),
                    MethodOptions.defaults("simclr"));
        }

        @Override
        public Replica build(Collective collective) {
            PretrainSetup s = setup(collective);
            return new Replica(s.encoder(), s.objective(), s.optimizer(), 2, false);
        }

        long parameters() {
            long p = 0;
            for (Parameter q : setup(null).encoder().parameters()) {
                p += q.value().length();
            }
            return p;
        }
    }

    /** Two float32 views of Gaussian images, a pure function of (step, row): rank r reads its rows. */
    record RandomImages(int globalBatch) implements ShardSource {
        @Override
        public List<INDArray> shard(long step, int rank, int workers) {
            int n = globalBatch / workers;
            List<INDArray> views = new ArrayList<>();
            for (int v = 0; v < 2; v++) {
                float[] x = new float[n * 3 * IMAGE * IMAGE];
                SplittableRandom rng = new SplittableRandom(step * 1_000_003L + rank * 7919L + v);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rng.nextDouble() * 2 - 1);
                }
                views.add(Nd4j.create(x, new long[] {n, 3, IMAGE, IMAGE}, 'c'));
            }
            return views;
        }

        @Override
        public long stepsPerEpoch() {
            return 1_000_000;
        }
    }

    /**
     * wav2vec 2.0 on {@link Wav2Vec2Config#small()} (float32): the convolutional feature encoder is the
     * distributed encoder; the objective (masking, transformer, quantizer) runs on the global batch's
     * features on every worker.
     */
    record SpeechSmall() implements ReplicaFactory {
        @Override
        public Replica build(Collective collective) {
            Wav2Vec2Model model = new Wav2Vec2Model(Wav2Vec2Config.small(), DataType.FLOAT, 1);
            return new Replica(model.featureEncoder(), new Wav2Vec2Objective(model),
                    Sgd.builder(new ConstantSchedule(0.01)).momentum(0.9).build(), 1, false);
        }

        long parameters() {
            long p = 0;
            for (Parameter q : new Wav2Vec2Model(Wav2Vec2Config.small(), DataType.FLOAT, 1).featureEncoder().parameters()) {
                p += q.value().length();
            }
            return p;
        }
    }

    /** One float32 view of noisy sine waves {@code [n, samples]}, a pure function of (step, row). */
    record RandomWaves(int globalBatch, int samples) implements ShardSource {
        @Override
        public List<INDArray> shard(long step, int rank, int workers) {
            int n = globalBatch / workers;
            float[] w = new float[n * samples];
            for (int i = 0; i < n; i++) {
                SplittableRandom rng = new SplittableRandom(step * 1_000_003L + rank * n + i);
                double f = 0.01 + 0.05 * rng.nextDouble();
                for (int t = 0; t < samples; t++) {
                    w[i * samples + t] = (float) (Math.sin(2 * Math.PI * f * t) + 0.1 * (rng.nextDouble() - 0.5));
                }
            }
            return List.of(Nd4j.create(w, new long[] {n, samples}, 'c'));
        }

        @Override
        public long stepsPerEpoch() {
            return 1_000_000;
        }
    }

    /**
     * @param args {@code out.md [width] [batch] [steps]}, or {@code out.md speech [batch] [steps]} for
     *             wav2vec 2.0 small on 0.5 s crops at 8 kHz
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "spark-scaling.md");
        boolean speech = args.length > 1 && args[1].equals("speech");
        int width = args.length > 1 && !speech ? Integer.parseInt(args[1]) : 32;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : speech ? 8 : 32;
        long steps = args.length > 3 ? Long.parseLong(args[3]) : 4;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ReplicaFactory model;
        ShardSource data;
        String title;
        if (speech) {
            SpeechSmall s = new SpeechSmall();
            model = s;
            data = new RandomWaves(batch, SPEECH_SAMPLES);
            title = String.format(Locale.ROOT, "wav2vec 2.0 small (feature encoder P = %,d distributed, float32), %d-sample "
                    + "waveforms, global batch %d, %d steps, load average %.1f at start", s.parameters(), SPEECH_SAMPLES,
                    batch, steps, load);
        } else {
            SimClrConvNet c = new SimClrConvNet(width, steps);
            model = c;
            data = new RandomImages(batch);
            title = String.format(Locale.ROOT, "SimCLR, ConvNet %d-%d-%d-%d + head (P = %,d, float32, SyncBatchNorm), "
                    + "%dx%d images, global batch %d x 2 views, %d steps, load average %.1f at start", width, 2 * width,
                    4 * width, 8 * width, c.parameters(), IMAGE, IMAGE, batch, steps, load);
        }
        StringBuilder md = new StringBuilder(title + String.format(Locale.ROOT, "%n%n"
                + "| master | W | barrier wake | steps/s | samples/s | time in all-gather | exchanges/step "
                + "| bytes sent/step/worker | bytes received/step/worker |%n| --- | --- | --- | --- | --- | --- | --- | --- | --- |%n"));
        boolean warmUp = true;
        for (long[] setting : new long[][] {{1, 0}, {1, 0}, {2, 0}, {2, 2}}) {
            int w = (int) setting[0];
            long wake = setting[1];
            SparkConf conf = new SparkConf().setMaster("local[" + w + "]").setAppName("selfsup4j-spark-scaling")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            JavaSparkContext sc = new JavaSparkContext(conf);
            sc.setLogLevel("WARN");
            try {
                DataParallelRun run = SparkDataParallel.run(sc, w, model, data,
                        DataParallelConfig.of(1, steps).withBarrierWake(wake));
                if (warmUp) {
                    warmUp = false;
                    continue;
                }
                WorkerResult r0 = run.workers().get(0);
                CommunicationStats c = r0.communication();
                double seconds = r0.trainNanos() / 1e9;
                md.append(String.format(Locale.ROOT, "| local[%d] | %d | %s | %.3f | %.1f | %.1f%% | %.1f | %,d | %,d |%n",
                        w, w, wake > 0 ? wake + " ms" : "off (1 s poll)", steps / seconds, steps * batch / seconds,
                        100.0 * c.nanos() / r0.trainNanos(), (double) c.exchanges() / steps, c.bytesSent() / steps,
                        c.bytesReceived() / steps));
            } finally {
                sc.stop();
            }
        }
        Files.writeString(out, md);
        System.out.print(md);
    }
}
