package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ConvAndLinearTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void linear_gradients_matchFiniteDifferences() {
        GradientCheck.check(new Linear(4, 3, true, D, new SplittableRandom(1)), GradientCheck.randn(2, 3, 4), true);
        GradientCheck.check(new Linear(4, 3, false, D, new SplittableRandom(1)), GradientCheck.randn(2, 3, 4), true);
    }

    @Test
    void linear_sequenceInput_gradientsMatchFiniteDifferences() {
        Linear l = new Linear(4, 2, true, D, new SplittableRandom(3));
        INDArray x = GradientCheck.randn(4, 2, 3, 4);
        assertArrayEquals(new long[] {2, 3, 2}, l.forward(x, true).shape());
        GradientCheck.check(l, x, true);
    }

    @Test
    void linear_forward_matchesWrittenOutFormula() {
        Linear l = new Linear(3, 2, true, D, new SplittableRandom(5));
        INDArray x = GradientCheck.randn(6, 2, 3);
        INDArray y = l.forward(x, true);
        INDArray w = l.parameters().get(0).value();
        INDArray b = l.parameters().get(1).value();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 2; o++) {
                double acc = b.getDouble(o);
                for (int i = 0; i < 3; i++) {
                    acc += x.getDouble(n, i) * w.getDouble(o, i);
                }
                assertEquals(acc, y.getDouble(n, o), 1e-12);
            }
        }
    }

    @Test
    void linear_init_isUniformWithinFanInBound_andSeedDeterministic() {
        Linear a = new Linear(100, 50, true, D, new SplittableRandom(7));
        Linear b = new Linear(100, 50, true, D, new SplittableRandom(7));
        INDArray w = a.parameters().get(0).value();
        assertTrue(w.amaxNumber().doubleValue() <= 0.1);
        assertTrue(w.amaxNumber().doubleValue() > 0.09);
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.01);
        assertEquals(w, b.parameters().get(0).value());
        assertTrue(!a.parameters().get(1).weightDecay() && a.parameters().get(0).weightDecay());
        assertEquals(DataType.FLOAT, new Linear(3, 2, 1L).parameters().get(0).value().dataType());
    }

    @Test
    void linear_badInput_throws() {
        Linear l = new Linear(4, 3, true, D, new SplittableRandom(1));
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(GradientCheck.randn(1, 2, 5), true));
        assertEquals("Linear.forward: expected input [N, 4] or [N, T, 4], got [2, 5]", e.getMessage());
        assertThrows(IllegalStateException.class, () -> l.backward(GradientCheck.randn(1, 2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> l.forward(GradientCheck.randn(1, 2, 4).castTo(DataType.FLOAT), true));
        l.forward(GradientCheck.randn(1, 2, 4), true);
        assertThrows(IllegalArgumentException.class, () -> l.backward(GradientCheck.randn(1, 2, 4)));
    }

    @Test
    void backward_addsIntoParameterGradients() {
        Linear l = new Linear(4, 3, true, D, new SplittableRandom(1));
        INDArray x = GradientCheck.randn(2, 3, 4);
        INDArray g = GradientCheck.randn(3, 3, 3);
        l.forward(x, true);
        l.backward(g);
        INDArray once = l.parameters().get(0).gradient().dup();
        l.backward(g);
        assertTrue(once.mul(2).equalsWithEps(l.parameters().get(0).gradient(), 1e-12));

        Conv2d c = new Conv2d(2, 3, 3, 1, 1, true, D, new SplittableRandom(1));
        INDArray xc = GradientCheck.randn(2, 2, 2, 4, 4);
        INDArray gc = GradientCheck.randn(3, 2, 3, 4, 4);
        c.forward(xc, true);
        c.backward(gc);
        INDArray onceW = c.parameters().get(0).gradient().dup();
        INDArray onceB = c.parameters().get(1).gradient().dup();
        c.backward(gc);
        assertTrue(onceW.mul(2).equalsWithEps(c.parameters().get(0).gradient(), 1e-12));
        assertTrue(onceB.mul(2).equalsWithEps(c.parameters().get(1).gradient(), 1e-12));
    }

    static double naiveConv(INDArray x, INDArray w, INDArray b, int n, int o, int i, int j, int s, int p) {
        long c = x.size(1);
        long h = x.size(2);
        long wd = x.size(3);
        long k = w.size(2);
        double acc = b == null ? 0 : b.getDouble(o);
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int ii = i * s - p + ki;
                    int jj = j * s - p + kj;
                    if (ii >= 0 && jj >= 0 && ii < h && jj < wd) {
                        acc += x.getDouble(n, ci, ii, jj) * w.getDouble(o, ci, ki, kj);
                    }
                }
            }
        }
        return acc;
    }

    @Test
    void conv2d_tinyInputs_strideTwoDownToOnePixel_matchDirectConvolution() {
        // ResNet stages halve the map down to 2x2 and 1x1 on small images
        int[][] configs = {{3, 2, 1, 2}, {1, 2, 0, 2}, {3, 2, 1, 1}, {3, 1, 1, 1}};
        for (int[] cfg : configs) {
            int k = cfg[0];
            int s = cfg[1];
            int p = cfg[2];
            int side = cfg[3];
            Conv2d conv = new Conv2d(2, 3, k, s, p, true, D, new SplittableRandom(5));
            INDArray x = GradientCheck.randn(13, 2, 2, side, side);
            INDArray y = conv.forward(x, true);
            INDArray w = conv.parameters().get(0).value();
            INDArray b = conv.parameters().get(1).value();
            long o1 = (side + 2 * p - k) / s + 1;
            assertArrayEquals(new long[] {2, 3, o1, o1}, y.shape());
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 3; o++) {
                    for (int i = 0; i < o1; i++) {
                        for (int j = 0; j < o1; j++) {
                            assertEquals(naiveConv(x, w, b, n, o, i, j, s, p), y.getDouble(n, o, i, j), 1e-12,
                                    "k=" + k + " s=" + s + " p=" + p + " side=" + side);
                        }
                    }
                }
            }
            INDArray gx = conv.backward(y.ulike().assign(1.0));
            assertArrayEquals(x.shape(), gx.shape());
        }
    }

    @Test
    void conv2d_forward_matchesDirectConvolution() {
        int[][] configs = {{3, 1, 1}, {3, 2, 1}, {1, 2, 0}, {2, 1, 0}, {3, 2, 0}};
        for (int[] cfg : configs) {
            int k = cfg[0];
            int s = cfg[1];
            int p = cfg[2];
            Conv2d conv = new Conv2d(2, 3, k, s, p, true, D, new SplittableRandom(11));
            INDArray x = GradientCheck.randn(12, 2, 2, 6, 5);
            INDArray y = conv.forward(x, true);
            INDArray w = conv.parameters().get(0).value();
            INDArray b = conv.parameters().get(1).value();
            long oh = (6 + 2 * p - k) / s + 1;
            long ow = (5 + 2 * p - k) / s + 1;
            assertArrayEquals(new long[] {2, 3, oh, ow}, y.shape());
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 3; o++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            assertEquals(naiveConv(x, w, b, n, o, i, j, s, p), y.getDouble(n, o, i, j), 1e-12,
                                    "k=" + k + " s=" + s + " p=" + p);
                        }
                    }
                }
            }
        }
    }

    @Test
    void conv2d_gradients_matchFiniteDifferences() {
        GradientCheck.check(new Conv2d(2, 3, 3, 1, 1, true, D, new SplittableRandom(1)), GradientCheck.randn(2, 3, 2, 5, 5), true);
        GradientCheck.check(new Conv2d(2, 2, 3, 2, 1, false, D, new SplittableRandom(2)), GradientCheck.randn(3, 2, 2, 5, 4), true);
        GradientCheck.check(new Conv2d(2, 3, 1, 2, 0, true, D, new SplittableRandom(3)), GradientCheck.randn(4, 3, 2, 5, 5), true);
        GradientCheck.check(new Conv2d(1, 2, 2, 3, 0, true, D, new SplittableRandom(4)), GradientCheck.randn(5, 2, 1, 5, 5), true);
    }

    @Test
    void conv_unitSizedAxes_gradientsMatchFiniteDifferences() {
        // size-1 batch, channel and output axes must not be squeezed away by the strided views
        Conv2d c = new Conv2d(1, 1, 3, 1, 0, true, D, new SplittableRandom(6));
        INDArray x = GradientCheck.randn(7, 1, 1, 3, 3);
        assertArrayEquals(new long[] {1, 1, 1, 1}, c.forward(x, true).shape());
        GradientCheck.check(c, x, true);
        GradientCheck.check(new Conv2d(1, 2, 1, 1, 1, true, D, new SplittableRandom(8)), GradientCheck.randn(9, 1, 1, 2, 1), true);
        Conv1d c1 = new Conv1d(1, 1, 4, 1, 0, true, D, new SplittableRandom(6));
        INDArray x1 = GradientCheck.randn(10, 1, 1, 4);
        assertArrayEquals(new long[] {1, 1, 1}, c1.forward(x1, true).shape());
        GradientCheck.check(c1, x1, true);
    }

    @Test
    void conv2d_shapeChange_reallocatesAndStaysCorrect() {
        Conv2d conv = new Conv2d(2, 2, 3, 1, 1, true, D, new SplittableRandom(1));
        GradientCheck.check(conv, GradientCheck.randn(2, 3, 2, 5, 5), true);
        GradientCheck.check(conv, GradientCheck.randn(3, 1, 2, 4, 6), true);
    }

    @Test
    void conv1d_gradients_matchFiniteDifferences() {
        GradientCheck.check(new Conv1d(2, 3, 3, 1, 1, true, D, new SplittableRandom(1)), GradientCheck.randn(2, 3, 2, 7), true);
        GradientCheck.check(new Conv1d(2, 2, 4, 2, 0, false, D, new SplittableRandom(2)), GradientCheck.randn(3, 2, 2, 9), true);
    }

    @Test
    void conv1d_forward_matchesDirectConvolution() {
        Conv1d conv = new Conv1d(2, 3, 3, 2, 1, true, D, new SplittableRandom(11));
        INDArray x = GradientCheck.randn(12, 2, 2, 7);
        INDArray y = conv.forward(x, true);
        assertArrayEquals(new long[] {2, 3, 4}, y.shape());
        INDArray w = conv.parameters().get(0).value();
        INDArray b = conv.parameters().get(1).value();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 3; o++) {
                for (int t = 0; t < 4; t++) {
                    double acc = b.getDouble(o);
                    for (int c = 0; c < 2; c++) {
                        for (int k = 0; k < 3; k++) {
                            int i = t * 2 - 1 + k;
                            if (i >= 0 && i < 7) {
                                acc += x.getDouble(n, c, i) * w.getDouble(o, c, k);
                            }
                        }
                    }
                    assertEquals(acc, y.getDouble(n, o, t), 1e-12);
                }
            }
        }
    }

    @Test
    void conv_repeatedInference_isBitIdentical() {
        INDArray x = GradientCheck.randn(8, 4, 3, 9, 9).castTo(DataType.FLOAT);
        GradientCheck.assertRepeatable(new Conv2d(3, 5, 3, 1, 1, 8L), x, false);
        GradientCheck.assertRepeatable(new Conv1d(3, 5, 3, 1, 1, 8L), x.reshape(4, 3, 81).dup(), false);
        GradientCheck.assertRepeatable(new Linear(9, 4, 8L), x, false);
    }

    @Test
    void sameShape_reusesOutputBuffer_newShape_reallocates() {
        Conv2d c = new Conv2d(2, 3, 3, 1, 1, 1L);
        INDArray x = GradientCheck.randn(1, 2, 2, 5, 5).castTo(DataType.FLOAT);
        INDArray y1 = c.forward(x, true);
        assertSame(y1, c.forward(x, true));
        assertSame(c.backward(y1), c.backward(y1));
        INDArray y3 = c.forward(GradientCheck.randn(1, 3, 2, 5, 5).castTo(DataType.FLOAT), true);
        assertArrayEquals(new long[] {3, 3, 5, 5}, y3.shape());
        Linear l = new Linear(4, 2, 1L);
        INDArray xl = GradientCheck.randn(1, 3, 4).castTo(DataType.FLOAT);
        assertSame(l.forward(xl, true), l.forward(xl, true));
    }

    @Test
    void float32_agreesWithFloat64() {
        INDArray x = GradientCheck.randn(3, 4, 3, 9, 9);
        Conv2d c64 = new Conv2d(3, 5, 3, 2, 1, true, D, new SplittableRandom(4));
        Conv2d c32 = new Conv2d(3, 5, 3, 2, 1, true, DataType.FLOAT, new SplittableRandom(4));
        INDArray y64 = c64.forward(x, true);
        INDArray y32 = c32.forward(x.castTo(DataType.FLOAT), true).castTo(D);
        assertTrue(y64.equalsWithEps(y32, 1e-5));
        INDArray g = GradientCheck.randn(5, y64.shape());
        INDArray gx64 = c64.backward(g);
        INDArray gx32 = c32.backward(g.castTo(DataType.FLOAT)).castTo(D);
        assertTrue(gx64.equalsWithEps(gx32, 1e-4));
        assertTrue(c64.parameters().get(0).gradient().equalsWithEps(c32.parameters().get(0).gradient().castTo(D), 1e-3));
    }

    @Test
    void conv2d_stridedInputView_isHandled() {
        Conv2d c = new Conv2d(2, 3, 3, 1, 1, true, D, new SplittableRandom(1));
        INDArray base = GradientCheck.randn(9, 2, 5, 5, 2);
        INDArray view = base.permute(0, 3, 1, 2);
        INDArray expected = c.forward(view.dup('c'), true).dup();
        assertTrue(expected.equalsWithEps(c.forward(view, true), 1e-12));
    }

    @Test
    void conv_badInput_throws() {
        Conv2d c = new Conv2d(3, 4, 3, 1, 1, true, D, new SplittableRandom(1));
        var e = assertThrows(IllegalArgumentException.class, () -> c.forward(GradientCheck.randn(1, 8, 1, 28, 28), true));
        assertEquals("Conv2d.forward: expected input [N, 3, H, W], got [8, 1, 28, 28]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.forward(GradientCheck.randn(1, 8, 3, 28), true));
        assertThrows(IllegalStateException.class, () -> c.backward(GradientCheck.randn(1, 8, 4, 28, 28)));
        Conv2d big = new Conv2d(3, 4, 5, 1, 0, true, D, new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class, () -> big.forward(GradientCheck.randn(1, 2, 3, 3, 3), true));
        Conv1d c1 = new Conv1d(3, 4, 3, 1, 1, true, D, new SplittableRandom(1));
        var e1 = assertThrows(IllegalArgumentException.class, () -> c1.forward(GradientCheck.randn(1, 8, 2, 28), true));
        assertEquals("Conv1d.forward: expected input [N, 3, L], got [8, 2, 28]", e1.getMessage());
        assertThrows(IllegalStateException.class, () -> c1.backward(GradientCheck.randn(1, 8, 4, 28)));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 4, 3, 1, 1, 1L));
    }
}
