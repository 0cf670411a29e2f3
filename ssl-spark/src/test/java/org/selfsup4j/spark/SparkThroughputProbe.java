package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.losses.objective.SimClrObjective;

/**
 * Measures SimCLR steps on Spark, local[1] with one task against local[2] and local[3]: steps per
 * second, the share of each step spent inside all-gather, and the bytes exchanged against the
 * README's cost model. Not a correctness test: it runs only with {@code -Dselfsup4j.spark.probe=true}
 * and writes {@code target/spark-probe.md}.
 */
@EnabledIfSystemProperty(named = "selfsup4j.spark.probe", matches = "true")
class SparkThroughputProbe {
    private static final int IN = 256;
    private static final int HIDDEN = 1024;
    private static final int OUT = 128;
    private static final int BATCH = 240;
    private static final long STEPS = 8;

    /** A float32 SimCLR MLP: P = IN·HIDDEN + HIDDEN + HIDDEN·OUT + OUT. */
    record ProbeSimClr() implements ReplicaFactory {
        @Override
        public Replica build(Collective collective) {
            Mlp mlp = new Mlp(new int[] {IN, HIDDEN, OUT}, false, true, false, DataType.FLOAT, new SplittableRandom(1));
            return new Replica(Encoder.of(mlp), new SimClrObjective(0.5),
                    Sgd.builder(new ConstantSchedule(0.01)).momentum(0.9).build(), 2, false);
        }
    }

    /** {@link RandomViews} in float32. */
    record FloatShards(RandomViews inner) implements ShardSource {
        @Override
        public List<INDArray> shard(long step, int rank, int workers) {
            List<INDArray> out = new ArrayList<>();
            for (INDArray v : inner.shard(step, rank, workers)) {
                out.add(v.castTo(DataType.FLOAT));
            }
            return out;
        }

        @Override
        public long stepsPerEpoch() {
            return inner.stepsPerEpoch();
        }
    }

    @Test
    void localOneAgainstLocalTwo() throws IOException {
        long params = (long) IN * HIDDEN + HIDDEN + (long) HIDDEN * OUT + OUT;
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "SimCLR, float32 MLP %d-%d-%d (P = %d), global batch %d x 2 views, %d steps%n%n"
                        + "| master | W | steps/s | samples/s | time in all-gather | exchanges/step | bytes sent/step/worker | model | bytes received/step/worker | model |%n"
                        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n",
                IN, HIDDEN, OUT, params, BATCH, STEPS));
        // the first row warms the JIT up and is not reported
        boolean warmUp = true;
        for (long[] setting : new long[][] {{1, 0}, {1, 0}, {2, 0}, {2, 2}, {3, 2}}) {
            int w = (int) setting[0];
            long wake = setting[1];
            JavaSparkContext sc = SparkContexts.local("local[" + w + "]");
            try {
                FloatShards data = new FloatShards(new RandomViews(1, BATCH, IN));
                DataParallelRun run = SparkDataParallel.run(sc, w, new ProbeSimClr(), data,
                        DataParallelConfig.of(1, STEPS).withBarrierWake(wake));
                WorkerResult r0 = run.workers().get(0);
                CommunicationStats c = r0.communication();
                double seconds = r0.trainNanos() / 1e9;
                if (warmUp) {
                    warmUp = false;
                    continue;
                }
                long n = BATCH / w;
                // the cost model: embeddings V·n·D·s and gradients P·s sent, W times that received (at W = 1
                // the payloads are counted but BarrierCollective hands them back without calling Spark)
                long sentModel = (2L * n * OUT + params) * Float.BYTES;
                long receivedModel = w * sentModel;
                md.append(String.format(Locale.ROOT, "| local[%d]%s | %d | %.3f | %.1f | %.1f%% | %.1f | %d | %d | %d | %d |%n",
                        w, wake > 0 ? ", woken every " + wake + " ms" : "", w, STEPS / seconds, STEPS * BATCH / seconds, 100.0 * c.nanos() / r0.trainNanos(),
                        (double) c.exchanges() / STEPS, c.bytesSent() / STEPS, sentModel, c.bytesReceived() / STEPS,
                        receivedModel));
                assertEquals(sentModel, c.bytesSent() / STEPS, "bytes sent per step against the cost model");
            } finally {
                sc.stop();
            }
        }
        Path out = Path.of("target", "spark-probe.md");
        Files.writeString(out, md);
        System.out.println(md);
    }
}
