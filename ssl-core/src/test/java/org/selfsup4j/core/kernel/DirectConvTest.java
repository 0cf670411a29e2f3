package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Conv1d;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.GradientCheck;
import org.selfsup4j.core.nn.Module;

/**
 * The float32 heap convolution ({@link DirectConv}) and the im2col fallback, both against the
 * float64 path, whose gradients {@link ConvAndLinearTest} checks with finite differences.
 */
class DirectConvTest {
    private static final DataType F = DataType.FLOAT;
    private static final DataType D = DataType.DOUBLE;
    private final String algorithmBefore = ConvAlgorithm.get();

    /** These tests pin the direct paths: 3x3 stride-1 "same" layers would otherwise go to Winograd. */
    @BeforeEach
    void directPathOnly() {
        ConvAlgorithm.set(ConvAlgorithm.DIRECT);
    }

    @AfterEach
    void restoreAlgorithm() {
        ConvAlgorithm.set(algorithmBefore);
    }

    /** {c, o, kernel, stride, padding, n, h, w}: strides 1-3, padding 0-2, blocks within and across samples. */
    private static final int[][] GEOMETRIES = {
        {1, 16, 3, 2, 1, 4, 28, 28},    // tiny encoder, first layer
        {16, 32, 3, 2, 1, 5, 14, 14},   // tiny encoder, second layer; odd batch (unequal chunks)
        {3, 8, 3, 1, 1, 2, 32, 32},     // ResNet stem: several blocks per sample
        {4, 6, 1, 2, 0, 3, 9, 9},       // 1x1 stride-2 shortcut
        {2, 5, 5, 3, 2, 3, 11, 7},      // stride 3, padding 2, non-square
        {3, 4, 3, 1, 0, 1, 4, 4},       // a single sample (one chunk)
        {5, 20, 3, 2, 1, 7, 4, 4},      // 2x2 outputs: a block spans many samples
        {2, 3, 2, 2, 0, 2, 3, 3},       // output 1x1
        {6, 10, 3, 1, 1, 3, 8, 8},      // 8x8 "same": runs of four rows per panel copied at once
        {5, 20, 3, 1, 1, 5, 4, 4},      // 4x4 "same": a panel holds rows of two samples
    };

    @Test
    void vectorModule_isPresent_soTheHeapPathIsTested() {
        // The surefire argLine adds jdk.incubator.vector; without it only the fallback would run.
        assertTrue(DirectConv.AVAILABLE, "run the tests with --add-modules jdk.incubator.vector");
        assertTrue(DirectConv.applies(F, 4, 1, 16, 28, 28, 14, 14, 9));
        assertTrue(!DirectConv.applies(D, 4, 1, 16, 28, 28, 14, 14, 9), "float64 keeps the im2col path");
    }

    @Test
    void heapPath_conv2d_matchesFloat64() {
        for (int[] g : GEOMETRIES) {
            compare(g, true);
        }
    }

    @Test
    void fallbackPath_conv2d_float32_matchesFloat64() {
        boolean before = DirectConv.enabled;
        DirectConv.enabled = false;
        try {
            assertTrue(!DirectConv.applies(F, 4, 1, 16, 28, 28, 14, 14, 9));
            for (int[] g : GEOMETRIES) {
                compare(g, true);
            }
        } finally {
            DirectConv.enabled = before;
        }
    }

    /** {c, o, kernel, stride, padding, n, h, w}: stride 1, "same" padding, rows of 16+ (the implicit path). */
    private static final int[][] IMPLICIT_GEOMETRIES = {
        {5, 12, 3, 1, 1, 3, 16, 16},    // O and C not multiples of the tile; one block per sample
        {32, 16, 3, 1, 1, 2, 32, 32},   // ResNet stage 1: several blocks per sample, last one partial
        {4, 9, 5, 1, 2, 2, 9, 32},      // 5x5, non-square, odd rows
        {6, 8, 1, 1, 0, 3, 5, 16},      // 1x1: no padding, no dropped positions
        {3, 7, 3, 1, 1, 1, 17, 24},     // a single sample (one chunk)
        {72, 80, 3, 1, 1, 2, 16, 16},   // reductions past KC_OFFSET (648 and 720 taps): two chunks each
    };

    @Test
    void implicitPath_takesStrideOneSamePaddingWideRows_only() {
        for (int[] g : IMPLICIT_GEOMETRIES) {
            assertTrue(direct(g).implicitPath(), java.util.Arrays.toString(g));
        }
        assertTrue(!direct(new int[] {8, 16, 3, 1, 1, 2, 12, 12}).implicitPath(), "rows of 12: 1/6 dropped");
        assertTrue(!direct(new int[] {8, 16, 3, 2, 1, 2, 32, 32}).implicitPath(), "stride 2");
        assertTrue(!direct(new int[] {8, 16, 3, 1, 0, 2, 32, 32}).implicitPath(), "no padding: not same size");
    }

    @Test
    void implicitPath_andColumnPath_matchFloat64_onTheSameGeometries() {
        for (int[] g : IMPLICIT_GEOMETRIES) {
            compare(g, true);
            compare(g, false);
        }
        boolean before = DirectConv.implicitEnabled;
        DirectConv.implicitEnabled = false;
        try {
            assertTrue(!direct(IMPLICIT_GEOMETRIES[0]).implicitPath());
            for (int[] g : IMPLICIT_GEOMETRIES) {
                compare(g, true);
            }
        } finally {
            DirectConv.implicitEnabled = before;
        }
    }

    @Test
    void implicitPath_isUnaffectedByNonFiniteLeftoversInTheSharedStaging() {
        // dropped grid positions (past a row's end, past the last block's end) read staging contents and
        // multiply them by a zero gradient: a NaN that an earlier, larger layer left there must not reach
        // the weight gradient. The 5x5 geometry's last block ends 28 positions past its grid.
        int[] g = IMPLICIT_GEOMETRIES[2];
        INDArray x = GradientCheck.randn(31, g[5], g[0], g[6], g[7]).castTo(F);
        Conv2d clean = new Conv2d(g[0], g[1], g[2], 1, g[4], false, F, new SplittableRandom(5));
        INDArray y = clean.forward(x, true);
        INDArray gy = GradientCheck.randn(32, y.shape()).castTo(F);
        INDArray gxClean = clean.backward(gy).dup();
        INDArray gwClean = clean.parameters().get(0).gradient().dup();
        // stride 2 (column path): fills the input, input-gradient and output-gradient staging with NaN;
        // a wider implicit layer: the padded output-gradient staging
        for (int stride : new int[] {2, 1}) {
            Conv2d big = new Conv2d(g[0], g[1], g[2], stride, g[4], false, F, new SplittableRandom(6));
            INDArray nan = Nd4j.valueArrayOf(new long[] {4, g[0], 40, 40}, Double.NaN, F);
            assertTrue(Float.isNaN(nan.getFloat(0, 0, 20, 20)));
            big.backward(Nd4j.valueArrayOf(big.forward(nan, true).shape(), Double.NaN, F));
        }
        Conv2d after = new Conv2d(g[0], g[1], g[2], 1, g[4], false, F, new SplittableRandom(5));
        assertEquals(y, after.forward(x, true));
        assertEquals(gxClean, after.backward(gy));
        assertEquals(gwClean, after.parameters().get(0).gradient());
        assertTrue(Float.isFinite(after.parameters().get(0).gradient().sumNumber().floatValue()));
    }

    private static DirectConv direct(int[] g) {
        int oH = (g[6] + 2 * g[4] - g[2]) / g[3] + 1;
        int oW = (g[7] + 2 * g[4] - g[2]) / g[3] + 1;
        return new DirectConv(g[0], g[1], g[2], g[2], g[3], g[3], g[4], g[4], g[5], g[6], g[7], oH, oW, false);
    }

    @Test
    void heapPath_conv1d_longSequence_matchesFloat64() {
        // 300 output positions: one output row is longer than a block (BLOCK_PIXELS), no bias
        Conv1d c32 = new Conv1d(3, 4, 5, 1, 2, false, F, new SplittableRandom(3));
        Conv1d c64 = new Conv1d(3, 4, 5, 1, 2, false, D, new SplittableRandom(3));
        copyParameters(c32, c64);
        INDArray x = GradientCheck.randn(8, 3, 3, 300);
        checkAgreement(c32, c64, x, "conv1d");
        Conv1d s32 = new Conv1d(2, 3, 4, 3, 1, true, F, new SplittableRandom(4));
        Conv1d s64 = new Conv1d(2, 3, 4, 3, 1, true, D, new SplittableRandom(4));
        copyParameters(s32, s64);
        checkAgreement(s32, s64, GradientCheck.randn(9, 5, 2, 50), "conv1d stride 3");
    }

    @Test
    void heapPath_isBitIdentical_withOneTwoThreeOrEightThreads_andRunToRun() {
        int before = Parallel.threads();
        try {
            List<float[]> one = runOnce(1);
            List<float[]> two = runOnce(2);
            List<float[]> twoAgain = runOnce(2);
            List<float[]> three = runOnce(3);
            List<float[]> eight = runOnce(8);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), two.get(i), "array " + i + " differs between 1 and 2 threads");
                assertArrayEquals(two.get(i), twoAgain.get(i), "array " + i + " differs run to run");
                assertArrayEquals(one.get(i), three.get(i), "array " + i + " differs between 1 and 3 threads");
                assertArrayEquals(one.get(i), eight.get(i), "array " + i + " differs between 1 and 8 threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void heapPath_stridedInputView_matchesContiguousCopy() {
        Conv2d c = new Conv2d(2, 3, 3, 1, 1, true, F, new SplittableRandom(1));
        INDArray view = GradientCheck.randn(9, 3, 5, 5, 2).castTo(F).permute(0, 3, 1, 2);
        INDArray expected = c.forward(view.dup('c'), true).dup();
        assertEquals(expected, c.forward(view, true));
    }

    @Test
    void heapPath_backwardAccumulatesIntoParameterGradients() {
        Conv2d c = new Conv2d(3, 4, 3, 2, 1, true, F, new SplittableRandom(2));
        INDArray x = GradientCheck.randn(4, 3, 3, 8, 8).castTo(F);
        INDArray g = GradientCheck.randn(5, 3, 4, 4, 4).castTo(F);
        c.forward(x, true);
        c.backward(g);
        INDArray once = c.parameters().get(0).gradient().dup();
        INDArray bOnce = c.parameters().get(1).gradient().dup();
        c.forward(x, true);
        c.backward(g);
        assertTrue(once.mul(2).equalsWithEps(c.parameters().get(0).gradient(), 1e-5));
        assertTrue(bOnce.mul(2).equalsWithEps(c.parameters().get(1).gradient(), 1e-5));
    }

    @Test
    void heapPath_backward_isUnaffectedByOtherLayersRunningInBetween() {
        // the heap staging (input copy, packed weights) is shared by all layers of a thread: a layer's
        // backward must not depend on what another layer's forward left there
        INDArray x = GradientCheck.randn(21, 3, 4, 9, 9).castTo(F);
        INDArray g = GradientCheck.randn(22, 3, 6, 5, 5).castTo(F);
        Conv2d alone = new Conv2d(4, 6, 3, 2, 1, true, F, new SplittableRandom(7));
        alone.forward(x, true);
        INDArray gxAlone = alone.backward(g).dup();
        Conv2d a = new Conv2d(4, 6, 3, 2, 1, true, F, new SplittableRandom(7));
        Conv2d other = new Conv2d(5, 8, 3, 1, 1, false, F, new SplittableRandom(8));
        a.forward(x, true);
        INDArray y = other.forward(GradientCheck.randn(23, 6, 5, 12, 12).castTo(F), true);
        other.backward(GradientCheck.randn(24, y.shape()).castTo(F));
        assertEquals(gxAlone, a.backward(g));
        assertEquals(alone.parameters().get(0).gradient(), a.parameters().get(0).gradient());
        assertEquals(alone.parameters().get(1).gradient(), a.parameters().get(1).gradient());
    }

    private static List<float[]> runOnce(int threads) {
        Parallel.setThreads(threads);
        List<float[]> out = new ArrayList<>();
        // 12x12: column path; 16x20: implicit path
        for (int[] hw : new int[][] {{12, 12}, {16, 20}}) {
            Conv2d c = new Conv2d(8, 16, 3, 1, 1, true, F, new SplittableRandom(11));
            INDArray x = GradientCheck.randn(12, 9, 8, hw[0], hw[1]).castTo(F);
            INDArray y = c.forward(x, true);
            INDArray gx = c.backward(GradientCheck.randn(13, y.shape()).castTo(F));
            out.add(y.dup().data().asFloat());
            out.add(gx.dup().data().asFloat());
            out.add(c.parameters().get(0).gradient().dup().data().asFloat());
            out.add(c.parameters().get(1).gradient().dup().data().asFloat());
        }
        return out;
    }

    private static void compare(int[] g, boolean bias) {
        Conv2d c32 = new Conv2d(g[0], g[1], g[2], g[3], g[4], bias, F, new SplittableRandom(g[5]));
        Conv2d c64 = new Conv2d(g[0], g[1], g[2], g[3], g[4], bias, D, new SplittableRandom(g[5]));
        copyParameters(c32, c64);
        INDArray x = GradientCheck.randn(g[6] + 31L * g[7], g[5], g[0], g[6], g[7]);
        checkAgreement(c32, c64, x, java.util.Arrays.toString(g));
    }

    private static void copyParameters(Module from, Module to) {
        for (int i = 0; i < from.parameters().size(); i++) {
            to.parameters().get(i).value().assign(from.parameters().get(i).value().castTo(D));
            from.parameters().get(i).zeroGradient();
            to.parameters().get(i).zeroGradient();
        }
    }

    /** Forward, input gradient and parameter gradients of the float32 module within float32 rounding of the float64 one. */
    private static void checkAgreement(Module m32, Module m64, INDArray x, String what) {
        INDArray y64 = m64.forward(x, true);
        INDArray y32 = m32.forward(x.castTo(F), true).castTo(D);
        assertArrayEquals(y64.shape(), y32.shape(), what);
        assertClose(y64, y32, what + " output");
        INDArray g = GradientCheck.randn(77, y64.shape());
        INDArray gx64 = m64.backward(g);
        INDArray gx32 = m32.backward(g.castTo(F)).castTo(D);
        assertClose(gx64, gx32, what + " input gradient");
        for (int i = 0; i < m64.parameters().size(); i++) {
            assertClose(m64.parameters().get(i).gradient(), m32.parameters().get(i).gradient().castTo(D),
                    what + " gradient of " + m64.parameters().get(i).name());
        }
    }

    /** Max abs difference within 5e-5 of the expected max abs (float32 rounding of sums of up to ~10^3 terms). */
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 5e-5 * scale,
                what + ": max abs difference " + diff + " vs scale " + scale);
    }
}
