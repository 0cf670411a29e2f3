package org.selfsup4j.speech.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.BatchSource;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.HubertModel;
import org.selfsup4j.speech.model.KMeansFrameLabeler;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;
import org.selfsup4j.speech.model.cluster.KMeansModel;
import org.selfsup4j.speech.model.cluster.MiniBatchKMeans;

class ModelTrainingTest {
    private static final int SAMPLES = 200;

    /** Sines of a few pitches plus noise: structured enough to learn something in a few steps. */
    private static INDArray waves(int n, long seed, DataType dt) {
        Random r = new Random(seed);
        double[][] d = new double[n][SAMPLES];
        for (int i = 0; i < n; i++) {
            double f = 0.05 + 0.05 * (i % 3);
            for (int t = 0; t < SAMPLES; t++) {
                d[i][t] = Math.sin(2 * Math.PI * f * t) + 0.1 * r.nextGaussian();
            }
        }
        return Nd4j.createFromArray(d).castTo(dt);
    }

    private static BatchSource fixed(INDArray x) {
        return new BatchSource() {
            @Override
            public List<INDArray> views(long step) {
                return List.of(x);
            }

            @Override
            public long stepsPerEpoch() {
                return 1;
            }
        };
    }

    /** Labels from the sign pattern of the waveform: a deterministic per-frame target. */
    private static FrameLabeler toyLabels(int clusters) {
        return (w, frames) -> {
            int n = (int) w.size(0);
            int[] ids = new int[n * frames];
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < frames; t++) {
                    int s = (int) Math.min(w.size(1) - 1, (long) t * w.size(1) / frames);
                    ids[b * frames + t] = ((w.getDouble(b, s) > 0 ? 1 : 0) + (b % 2) * 2) % clusters;
                }
            }
            return Nd4j.createFromArray(ids).reshape(n, frames);
        };
    }

    private static double mean(List<StepReport> rs, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += rs.get(i).loss();
        }
        return s / (to - from);
    }

    @Test
    void wav2vec2_fewTrainerSteps_lossFallsAndCollapseMetricsReported() {
        Wav2Vec2Model model = new Wav2Vec2Model(Wav2Vec2Config.tiny(), DataType.FLOAT, 1);
        Trainer trainer = new Trainer(Trainer.Config.of(3, 30), model.featureEncoder(), new Wav2Vec2Objective(model),
                Adam.builder(new ConstantSchedule(3e-3)).build());
        List<StepReport> rs = trainer.fit(fixed(waves(4, 1, DataType.FLOAT)));
        for (StepReport r : rs) {
            assertTrue(Double.isFinite(r.loss()) && !r.skipped(), "step " + r.step() + " loss " + r.loss());
            double ppl = r.metrics().get("code_perplexity");
            assertTrue(ppl >= 2 - 1e-9 && ppl <= 2 * 8 + 1e-9, "code perplexity " + ppl);
            assertTrue(r.metrics().get("prob_perplexity") >= 1);
            assertTrue(r.metrics().get("accuracy") >= 0 && r.metrics().get("accuracy") <= 1);
        }
        assertEquals(2.0, rs.get(0).metrics().get("temperature"), 0);
        assertTrue(rs.get(29).metrics().get("temperature") < 2.0);
        assertTrue(mean(rs, 25, 30) < mean(rs, 0, 5), "loss did not fall: " + mean(rs, 0, 5) + " -> " + mean(rs, 25, 30));
    }

    @Test
    void hubert_objectiveGradient_matchesFiniteDifferencesInDouble() {
        Wav2Vec2Config trunk = Wav2Vec2Config.tiny();
        HubertModel model = new HubertModel(HubertConfig.ilsSsl(trunk, 3, 6, 1, 2), DataType.DOUBLE, 2);
        HubertObjective obj = new HubertObjective(model, toyLabels(3));
        INDArray w = waves(2, 2, DataType.DOUBLE).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 48)).dup();
        INDArray z = model.featureEncoder().forward(w, false).dup();
        StepContext ctx = new StepContext(4, 10, 0, 9);
        for (Parameter p : obj.parameters()) {
            p.zeroGradient();
        }
        ObjectiveOutput out = obj.compute(List.of(w), List.of(z), ctx);
        INDArray analytic = out.embeddingGradients().get(0).dup().divi(trunk.featureGradMult());
        List<INDArray> paramGrads = new ArrayList<>();
        for (Parameter p : obj.parameters()) {
            paramGrads.add(p.gradient().dup());
        }
        java.util.function.ToDoubleFunction<INDArray> f = zz -> obj.compute(List.of(w), List.of(zz), ctx).loss();
        // directional derivatives along random directions: every parameter and the features, two evaluations each
        assertDirectional(f, z, z, analytic, 21);
        List<Parameter> ps = obj.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertDirectional(f, z, ps.get(i).value(), paramGrads.get(i), 100 + i);
        }
        assertTrue(out.metrics().containsKey("layer1") && out.metrics().containsKey("layer2"));
    }

    private static void assertDirectional(java.util.function.ToDoubleFunction<INDArray> f, INDArray z, INDArray x,
            INDArray analytic, long seed) {
        Random r = new Random(seed);
        double[] d = new double[(int) x.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        INDArray v = Nd4j.create(d, x.shape(), 'c');
        double h = 1e-6;
        x.addi(v.mul(h));
        double plus = f.applyAsDouble(z);
        x.subi(v.mul(2 * h));
        double minus = f.applyAsDouble(z);
        x.addi(v.mul(h));
        double numeric = (plus - minus) / (2 * h);
        double a = analytic.mul(v).sumNumber().doubleValue();
        double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-7);
        assertTrue(err < 1e-5, "directional derivative " + a + " vs numeric " + numeric + " (seed " + seed + ")");
    }

    @Test
    void hubertAndIls_fewTrainerSteps_lossFallsAndAccuracyRises() {
        for (int[] layers : new int[][] {{2}, {1, 2}}) {
            HubertModel model = new HubertModel(HubertConfig.ilsSsl(Wav2Vec2Config.tiny(), 4, 8, layers), DataType.FLOAT, 3);
            Trainer trainer = new Trainer(Trainer.Config.of(5, 30), model.featureEncoder(),
                    new HubertObjective(model, toyLabels(4)), Adam.builder(new ConstantSchedule(3e-3)).build());
            List<StepReport> rs = trainer.fit(fixed(waves(4, 3, DataType.FLOAT)));
            for (StepReport r : rs) {
                assertFalse(r.skipped());
                double mf = r.metrics().get("mask_fraction");
                assertTrue(mf > 0.2 && mf < 0.9, "mask fraction " + mf);
            }
            assertTrue(mean(rs, 25, 30) < mean(rs, 0, 5), java.util.Arrays.toString(layers) + " loss did not fall");
            double acc0 = rs.get(0).metrics().get("accuracy");
            double acc1 = rs.get(29).metrics().get("accuracy");
            assertTrue(acc1 > acc0 || acc1 > 0.9, "accuracy " + acc0 + " -> " + acc1);
        }
    }

    @Test
    void iteration2Labeler_clustersALayerOfTheFirstModel() {
        HubertModel first = new HubertModel(HubertConfig.hubert(Wav2Vec2Config.tiny(), 3, 8), DataType.FLOAT, 4);
        INDArray w = waves(3, 4, DataType.FLOAT);
        INDArray h = first.backbone().layerOutput(w, 1);
        KMeansModel km = new MiniBatchKMeans(5, 32, 10, 200, 1).fit(h.reshape(h.size(0) * h.size(1), h.size(2)));
        FrameLabeler labeler = KMeansFrameLabeler.ofLayer(first.backbone(), 1, km);
        int frames = (int) first.featureEncoder().frames(SAMPLES);
        INDArray ids = labeler.labels(w, frames);
        assertArrayEquals(new long[] {3, frames}, ids.shape());
        int[] flat = ids.data().asInt();
        int[] direct = km.assign(h.reshape(h.size(0) * h.size(1), h.size(2)));
        assertArrayEquals(direct, flat);
        INDArray pooled = first.meanPooled(w, 1);
        assertArrayEquals(new long[] {3, Wav2Vec2Config.tiny().modelDim()}, pooled.shape());
        assertTrue(pooled.equalsWithEps(h.mean(1), 1e-6));
    }

    @Test
    void wav2vec2_sameSeed_sameLosses() {
        double[] a = new double[3];
        double[] b = new double[3];
        for (double[] out : new double[][] {a, b}) {
            Wav2Vec2Model model = new Wav2Vec2Model(Wav2Vec2Config.tiny(), DataType.FLOAT, 8);
            Trainer trainer = new Trainer(Trainer.Config.of(8, 3), model.featureEncoder(), new Wav2Vec2Objective(model),
                    Adam.builder(new ConstantSchedule(1e-3)).build());
            List<StepReport> rs = trainer.fit(fixed(waves(3, 8, DataType.FLOAT)));
            for (int i = 0; i < 3; i++) {
                out[i] = rs.get(i).loss();
            }
        }
        assertArrayEquals(a, b, 0.0);
    }
}
