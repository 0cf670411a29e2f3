package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.vision.nn.Reshape;

class ReconstructionObjectiveTest {
    static INDArray randn(long seed, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Nd4j.create(d, shape, 'c');
    }

    /** A decoder without batch norm, so the loss is a function of each input alone. */
    static Sequential linearDecoder(int in, SplittableRandom rng) {
        return new Sequential(new Linear(in, 2 * 2 * 2, true, DataType.DOUBLE, rng), new Reshape(2, 2, 2));
    }

    @Test
    void autoencoder_lossIsMeanSquaredError_gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(1);
        ReconstructionObjective obj = ReconstructionObjective.autoencoder(linearDecoder(5, rng));
        INDArray x = randn(2, 3, 2, 2, 2);
        INDArray h = randn(3, 3, 5);
        StepContext ctx = new StepContext(0, 1, 0, 9);
        ObjectiveOutput out = obj.compute(List.of(x), List.of(h), ctx);
        INDArray xhat = linearDecoderCopy(obj).forward(h, true);
        double mse = xhat.sub(x).norm2Number().doubleValue();
        assertEquals(mse * mse / x.length(), out.loss(), 1e-12);
        INDArray numeric = FiniteDifferences.gradient(v -> obj.compute(List.of(x), List.of(v), ctx).loss(), h.dup());
        assertTrue(FiniteDifferences.maxRelativeError(out.embeddingGradients().get(0), numeric, 1e-8) < 1e-6);
    }

    private static org.selfsup4j.core.nn.Module linearDecoderCopy(ReconstructionObjective obj) {
        // Rebuild the decoder from the objective's live parameters (weight, bias) to recompute x^ by hand.
        INDArray w = obj.parameters().get(0).value();
        INDArray b = obj.parameters().get(1).value();
        return new org.selfsup4j.core.nn.Module() {
            @Override
            public INDArray forward(INDArray input, boolean training) {
                INDArray y = input.mmul(w.rows() == input.columns() ? w : w.transpose()).addiRowVector(b);
                return y.reshape(input.size(0), 2, 2, 2);
            }

            @Override
            public INDArray backward(INDArray g) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<org.selfsup4j.core.nn.Parameter> parameters() {
                return List.of();
            }
        };
    }

    @Test
    void vae_gradientMatchesFiniteDifferences_forFixedNoise() {
        SplittableRandom rng = new SplittableRandom(4);
        Linear head = new Linear(6, 2 * 3, true, DataType.DOUBLE, rng);
        ReconstructionObjective obj = ReconstructionObjective.vae(head, linearDecoder(3, rng), 0.7);
        INDArray x = randn(5, 4, 2, 2, 2);
        INDArray h = randn(6, 4, 6).muli(0.5);
        StepContext ctx = new StepContext(3, 10, 0, 17);
        ObjectiveOutput out = obj.compute(List.of(x), List.of(h), ctx);
        assertTrue(out.metrics().get("kl") > 0);
        assertEquals(out.metrics().get("recon") + 0.7 * out.metrics().get("kl"), out.loss(), 1e-12);
        // Same step and seed give the same noise, so the loss is a deterministic function of h.
        INDArray numeric = FiniteDifferences.gradient(v -> obj.compute(List.of(x), List.of(v), ctx).loss(), h.dup());
        assertTrue(FiniteDifferences.maxRelativeError(out.embeddingGradients().get(0), numeric, 1e-8) < 1e-5);
    }

    @Test
    void vae_klOfStandardNormalPosteriorIsZero() {
        Linear head = new Linear(2, 4, true, DataType.DOUBLE, new SplittableRandom(1));
        head.parameters().forEach(p -> p.value().assign(0));
        ReconstructionObjective obj = ReconstructionObjective.vae(head, linearDecoder(2, new SplittableRandom(2)), 1);
        ObjectiveOutput out = obj.compute(List.of(randn(1, 3, 2, 2, 2)), List.of(randn(2, 3, 2)),
                new StepContext(0, 1, 0, 1));
        assertEquals(0.0, out.metrics().get("kl"), 1e-12);
    }

    @Test
    void compute_twoViews_throws() {
        ReconstructionObjective obj = ReconstructionObjective.autoencoder(linearDecoder(2, new SplittableRandom(1)));
        INDArray x = randn(1, 1, 2, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> obj.compute(List.of(x, x), List.of(x, x),
                new StepContext(0, 1, 0, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> ReconstructionObjective.vae(new Linear(2, 3, true, DataType.DOUBLE, new SplittableRandom(1)),
                        linearDecoder(2, new SplittableRandom(1)), 1));
    }
}
