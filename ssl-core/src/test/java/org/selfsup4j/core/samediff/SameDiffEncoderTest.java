package org.selfsup4j.core.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Parameter;

/**
 * Every block of {@link SameDiffBlocks}, wrapped in a {@link SameDiffEncoder}: the gradient fed in
 * through {@code backward} must equal central finite differences of {@code sum(f(x) * R)} in float64.
 */
class SameDiffEncoderTest {

    private static INDArray random(SplittableRandom r, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        INDArray flat = a.reshape(a.length());
        for (long i = 0; i < flat.length(); i++) {
            flat.putScalar(i, r.nextGaussian());
        }
        return a;
    }

    private static void checkBlock(String what, long[] inputShape, Function<SameDiffBlocks, SDVariable[]> build) {
        SameDiff sd = SameDiff.create();
        SameDiffBlocks b = new SameDiffBlocks(sd, DataType.DOUBLE, 7);
        SDVariable[] io = build.apply(b);
        SameDiffEncoder enc = new SameDiffEncoder(sd, io[0], io[1]);
        SplittableRandom r = new SplittableRandom(3);
        INDArray x = random(r, inputShape);
        INDArray out = enc.forward(x, true).dup();
        INDArray weights = random(r, out.shape());
        enc.backward(weights);
        for (Parameter p : enc.parameters()) {
            INDArray numeric = FiniteDifferences.gradient(v -> enc.forward(x, false).mul(weights).sumNumber().doubleValue(),
                    p.value());
            // floor 1e-3: a bias feeding a norm has an exact gradient of 0 and a numeric one of ~1e-10
            double err = FiniteDifferences.maxRelativeError(p.gradient(), numeric, 1e-3);
            assertTrue(err < 1e-5, what + ": gradient of " + p.name() + " off by relative " + err);
        }
    }

    @Test
    void linearAndMlpHead_gradientsMatchFiniteDifferences() {
        checkBlock("mlp head", new long[] {5, 4}, b -> {
            SDVariable x = b.sameDiff().placeHolder("x", DataType.DOUBLE, -1, 4);
            return new SDVariable[] {x, b.mlpHead("head", x, 4, new int[] {6}, 3)};
        });
    }

    @Test
    void conv2dBatchNormReluPool_gradientsMatchFiniteDifferences() {
        checkBlock("conv2d", new long[] {3, 2, 5, 5}, b -> {
            SDVariable x = b.sameDiff().placeHolder("x", DataType.DOUBLE, -1, 2, 5, 5);
            SDVariable h = b.relu(b.batchNorm("bn", b.conv2d("c", x, 2, 3, 3, 2, 1, true), 3, 4, true));
            return new SDVariable[] {x, b.globalAvgPool(h, 4)};
        });
    }

    @Test
    void residualBlock_withDownsampling_gradientsMatchFiniteDifferences() {
        checkBlock("residual", new long[] {2, 2, 4, 4}, b -> {
            SDVariable x = b.sameDiff().placeHolder("x", DataType.DOUBLE, -1, 2, 4, 4);
            return new SDVariable[] {x, b.globalAvgPool(b.residualBlock("res", x, 2, 3, 2), 4)};
        });
    }

    @Test
    void conv1dLayerNorm_gradientsMatchFiniteDifferences() {
        checkBlock("conv1d", new long[] {2, 2, 9}, b -> {
            SDVariable x = b.sameDiff().placeHolder("x", DataType.DOUBLE, -1, 2, 9);
            SDVariable h = b.relu(b.conv1d("c", x, 2, 4, 3, 2, 0, true));
            h = b.sameDiff().transpose(h); // placeholder-free permute: [N, C, L] -> [L, C, N]
            return new SDVariable[] {x, b.layerNorm("ln", h, 2, 3)};
        });
    }

    @Test
    void gelu_gradientMatchesFiniteDifferences() {
        checkBlock("gelu", new long[] {3, 4}, b -> {
            SDVariable x = b.sameDiff().placeHolder("x", DataType.DOUBLE, -1, 4);
            return new SDVariable[] {x, b.gelu(b.linear("fc", x, 4, 5, true))};
        });
    }

    @Test
    void groupNorm_gradientsMatchFiniteDifferences() {
        checkBlock("groupnorm", new long[] {2, 4, 3}, b -> {
            SDVariable x = b.sameDiff().placeHolder("x", DataType.DOUBLE, -1, 4, 3);
            return new SDVariable[] {x, b.groupNorm("gn", x, 2, 4, 3)};
        });
    }

    @Test
    void forward_isRepeatable_bitForBit() {
        SameDiff sd = SameDiff.create();
        SameDiffBlocks b = new SameDiffBlocks(sd, DataType.FLOAT, 1);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 8, 8);
        SDVariable z = b.globalAvgPool(b.relu(b.conv2d("c", x, 1, 4, 3, 1, 1, true)), 4);
        SameDiffEncoder enc = new SameDiffEncoder(sd, x, z);
        INDArray in = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
        INDArray first = enc.forward(in, false).dup();
        INDArray second = enc.forward(in, false).dup();
        assertEquals(first, second);
        assertFalse(first.isNaN().any());
    }

    @Test
    void sameSeed_givesSameWeights_andNoDecayForBiasesAndNorms() {
        SameDiffEncoder a = build(11);
        SameDiffEncoder b = build(11);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertEquals(a.parameters().get(i).value(), b.parameters().get(i).value());
            Parameter p = a.parameters().get(i);
            assertEquals(p.value().rank() > 1, p.weightDecay(), p.name());
        }
    }

    @Test
    void backward_withoutForward_throws_andWrongShape_throws() {
        SameDiffEncoder enc = build(1);
        assertThrows(IllegalStateException.class, () -> enc.backward(Nd4j.zeros(DataType.FLOAT, 2, 3)));
        enc.forward(Nd4j.rand(DataType.FLOAT, 2, 4), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> enc.backward(Nd4j.zeros(DataType.FLOAT, 2, 5)));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    private static SameDiffEncoder build(long seed) {
        SameDiff sd = SameDiff.create();
        SameDiffBlocks blocks = new SameDiffBlocks(sd, DataType.FLOAT, seed);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        return new SameDiffEncoder(sd, x, blocks.mlpHead("h", x, 4, new int[] {5}, 3));
    }
}
