package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.GradientCheck;

/**
 * The Winograd F(2x2, 3x3) path ({@link WinogradConv}) against the direct path: float64 to 1e-10
 * (the algorithm, tile edges, the flipped kernel of the input gradient, the adjoint transforms of the
 * float64 weight gradient), float32 within float32 rounding of float64, finite differences through a
 * {@link Conv2d}, and bit-identity over thread counts.
 */
class WinogradConvTest {
    private static final DataType F = DataType.FLOAT;
    private static final DataType D = DataType.DOUBLE;
    private final String modeBefore = ConvAlgorithm.get();

    /** {c, o, n, h, w}: odd sizes (a partial last tile row and column), batch 1, C_in != C_out, 1x1 maps. */
    private static final int[][] SMALL = {
        {3, 5, 1, 7, 5},
        {4, 4, 2, 8, 8},
        {6, 3, 3, 9, 16},
        {2, 7, 2, 1, 1},
        {5, 9, 2, 16, 17},
        {1, 2, 2, 2, 3},
    };

    /**
     * {c, o, n, h, w} for float32: the ResNet's stage-1 shape (several blocks and chunks), a block
     * spanning samples (8x8 and 4x4 maps), rows wider than a vector of tiles with a partial vector, and
     * channel counts that are not multiples of the register tile.
     */
    private static final int[][] FLOAT32 = {
        {32, 32, 4, 32, 32},
        {16, 24, 3, 17, 33},
        {40, 8, 2, 12, 12},
        {64, 64, 5, 8, 8},
        {24, 40, 7, 4, 4},
        {9, 13, 1, 65, 31},
        {3, 32, 2, 32, 32},
    };

    @AfterEach
    void restoreMode() {
        ConvAlgorithm.set(modeBefore);
    }

    @Test
    void dispatch_autoTakesWideFloat32ThreeByThreeStrideOneSameLayers_directNever_winogradEvenFloat64() {
        ConvAlgorithm.set("auto");
        assertTrue(WinogradConv.applies(F, 64, 64, 3, 3, 1, 1, 1, 1, 512, 16, 16));
        assertTrue(WinogradConv.applies(F, 128, 128, 3, 3, 1, 1, 1, 1, 512, 8, 8));
        assertFalse(WinogradConv.applies(F, 32, 32, 3, 3, 1, 1, 1, 1, 512, 32, 32), "32 channels: not measured faster");
        assertFalse(WinogradConv.applies(F, 64, 64, 3, 3, 2, 2, 1, 1, 512, 32, 32), "stride 2");
        assertFalse(WinogradConv.applies(F, 64, 64, 3, 3, 1, 1, 0, 0, 512, 32, 32), "padding 0");
        assertFalse(WinogradConv.applies(F, 64, 64, 5, 5, 1, 1, 2, 2, 512, 32, 32), "5x5");
        assertFalse(WinogradConv.applies(F, 3, 32, 3, 3, 1, 1, 1, 1, 512, 32, 32), "3-channel stem");
        assertFalse(WinogradConv.applies(F, 128, 128, 3, 3, 1, 1, 1, 1, 512, 4, 4), "4x4 maps");
        assertFalse(WinogradConv.applies(F, 256, 256, 3, 3, 1, 1, 1, 1, 512, 8, 8), "256 channels");
        assertFalse(WinogradConv.applies(D, 64, 64, 3, 3, 1, 1, 1, 1, 4, 32, 32), "float64 stays direct");
        ConvAlgorithm.set("direct");
        assertFalse(WinogradConv.applies(F, 64, 64, 3, 3, 1, 1, 1, 1, 512, 16, 16));
        ConvAlgorithm.set("winograd");
        assertTrue(WinogradConv.applies(D, 32, 32, 3, 3, 1, 1, 1, 1, 4, 32, 32));
        assertTrue(WinogradConv.applies(F, 3, 32, 3, 3, 1, 1, 1, 1, 4, 3, 3));
        assertFalse(WinogradConv.applies(F, 32, 64, 3, 3, 2, 2, 1, 1, 512, 32, 32), "stride 2 never");
    }

    @Test
    void float64_forwardAndGradients_matchDirectPath_toOneInTenBillion() {
        for (int[] g : SMALL) {
            for (boolean bias : new boolean[] {false, true}) {
                List<INDArray> direct = run("direct", D, g, bias);
                List<INDArray> wino = run("winograd", D, g, bias);
                for (int i = 0; i < direct.size(); i++) {
                    assertRelative(direct.get(i), wino.get(i), 1e-10, Arrays.toString(g) + " array " + i);
                }
            }
        }
    }

    /**
     * Float32 tolerance: F(2x2, 3x3)'s transforms have entries 0, +-1/2, +-1, so each product value
     * carries a few more roundings than the direct sum (input transform: 2 additions per stage, kernel
     * transform: 3 terms scaled by 1/2, output transform: 3 terms per stage; Lavin and Gray report the
     * F(2x2, 3x3) float32 error at the direct path's order). The bound is the one the direct path is
     * held to in {@code DirectConvTest} (max abs error within 5e-5 of the max abs value, float32
     * rounding of sums of ~10^3 terms), and the Winograd error must stay within 4x the direct path's
     * own float32 error on the same data.
     */
    @Test
    void float32_forwardAndGradients_matchFloat64_withinFloat32Rounding() {
        for (int[] g : FLOAT32) {
            List<INDArray> exact = run("direct", D, g, true);
            List<INDArray> direct = run("direct", F, g, true);
            List<INDArray> wino = run("winograd", F, g, true);
            for (int i = 0; i < exact.size(); i++) {
                double scale = Math.max(1e-12, exact.get(i).amaxNumber().doubleValue());
                double eDirect = exact.get(i).sub(direct.get(i)).amaxNumber().doubleValue();
                double eWino = exact.get(i).sub(wino.get(i)).amaxNumber().doubleValue();
                String what = Arrays.toString(g) + " array " + i + ": Winograd error " + eWino + ", direct " + eDirect
                        + ", scale " + scale;
                assertTrue(eWino <= 5e-5 * scale, what);
                assertTrue(eWino <= 4 * eDirect + 1e-7 * scale, what);
            }
        }
    }

    @Test
    void float64_conv2dOnTheWinogradPath_passesFiniteDifferenceCheck() {
        ConvAlgorithm.set("winograd");
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1, true, D, new SplittableRandom(3));
        GradientCheck.check(conv, GradientCheck.randn(5, 2, 3, 5, 6), true);
        Conv2d wide = new Conv2d(2, 3, 3, 1, 1, false, D, new SplittableRandom(4));
        GradientCheck.check(wide, GradientCheck.randn(6, 1, 2, 4, 9), true);
    }

    @Test
    void float32_isBitIdentical_withOneTwoThreeOrEightThreads_andRunToRun() {
        ConvAlgorithm.set("winograd");
        int before = Parallel.threads();
        try {
            List<float[]> one = threads(1);
            for (int t : new int[] {2, 2, 3, 8}) {
                List<float[]> other = threads(t);
                for (int i = 0; i < one.size(); i++) {
                    assertArrayEquals(one.get(i), other.get(i), "array " + i + " differs between 1 and " + t + " threads");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void float32_isUnaffectedByNonFiniteLeftoversInTheSharedBuffers() {
        // lanes past a tile row and columns past a block's tiles read stale buffer contents; they must
        // only ever reach dropped results. A NaN layer runs first, then a smaller one must equal its clean run.
        ConvAlgorithm.set("winograd");
        int[] g = {5, 6, 3, 9, 13};
        Supplier<List<INDArray>> small = () -> run("winograd", F, g, true);
        List<INDArray> clean = small.get();
        Conv2d big = new Conv2d(8, 8, 3, 1, 1, false, F, new SplittableRandom(6));
        INDArray nan = Nd4j.valueArrayOf(new long[] {3, 8, 20, 20}, Double.NaN, F);
        big.backward(Nd4j.valueArrayOf(big.forward(nan, true).shape(), Double.NaN, F));
        List<INDArray> after = small.get();
        for (int i = 0; i < clean.size(); i++) {
            assertEquals(clean.get(i), after.get(i), "array " + i);
        }
    }

    private static List<float[]> threads(int t) {
        Parallel.setThreads(t);
        List<float[]> out = new ArrayList<>();
        for (INDArray a : run("winograd", F, new int[] {16, 24, 9, 20, 18}, true)) {
            out.add(a.castTo(F).dup().data().asFloat());
        }
        return out;
    }

    /** Output, input gradient, weight gradient, bias gradient (float64 copies) of one forward and backward. */
    private static List<INDArray> run(String mode, DataType dtype, int[] g, boolean bias) {
        ConvAlgorithm.set(mode);
        Conv2d conv = new Conv2d(g[0], g[1], 3, 1, 1, bias, dtype, new SplittableRandom(g[0] * 31L + g[1]));
        // same parameters whatever the type: drawn in float64, rounded to float32 where needed
        Conv2d ref = new Conv2d(g[0], g[1], 3, 1, 1, bias, D, new SplittableRandom(g[0] * 31L + g[1]));
        for (int i = 0; i < conv.parameters().size(); i++) {
            conv.parameters().get(i).value().assign(ref.parameters().get(i).value().castTo(F).castTo(dtype));
            conv.parameters().get(i).zeroGradient();
        }
        INDArray x = GradientCheck.randn(g[3] * 131L + g[4], g[2], g[0], g[3], g[4]).castTo(F).castTo(dtype);
        INDArray y = conv.forward(x, true).castTo(D).dup();
        INDArray gy = GradientCheck.randn(77, y.shape()).castTo(F).castTo(dtype);
        INDArray gx = conv.backward(gy).castTo(D).dup();
        List<INDArray> out = new ArrayList<>(List.of(y, gx));
        for (int i = 0; i < conv.parameters().size(); i++) {
            out.add(conv.parameters().get(i).gradient().castTo(D).dup());
        }
        return out;
    }

    private static void assertRelative(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = Math.max(1e-300, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": max abs difference " + diff + " vs scale " + scale);
    }
}
