package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class NormalizationTest {
    private static final DataType D = DataType.DOUBLE;

    /** Makes the affine parameters non-trivial so their gradients are exercised. */
    private static <M extends Module> M perturbed(M m, long seed) {
        for (Parameter p : m.parameters()) {
            p.value().addi(GradientCheck.randn(seed++, p.value().shape()).muli(0.3));
        }
        return m;
    }

    @Test
    void batchNorm_trainingGradients_matchFiniteDifferences_allRanks() {
        GradientCheck.check(perturbed(new BatchNorm(2, true, D), 1), GradientCheck.randn(1, 3, 2), true);
        GradientCheck.check(perturbed(new BatchNorm(2, true, D), 2), GradientCheck.randn(2, 3, 2, 4), true);
        GradientCheck.check(perturbed(new BatchNorm(2, true, D), 3), GradientCheck.randn(3, 3, 2, 5, 5), true);
        GradientCheck.check(new BatchNorm(2, false, D), GradientCheck.randn(4, 3, 2, 3, 3), true);
    }

    @Test
    void batchNorm_evalGradients_matchFiniteDifferences() {
        BatchNorm bn = perturbed(new BatchNorm(2, true, D), 5);
        bn.runningMean().assign(GradientCheck.randn(6, 2));
        bn.runningVar().assign(GradientCheck.randn(7, 2).muli(0.2).addi(1.5));
        GradientCheck.check(bn, GradientCheck.randn(8, 3, 2, 5, 5), false);
        GradientCheck.check(bn, GradientCheck.randn(9, 3, 2), false);
    }

    @Test
    void batchNorm_forwardAndRunningStats_matchFormula() {
        BatchNorm bn = perturbed(new BatchNorm(2, true, D), 10);
        INDArray x = GradientCheck.randn(11, 3, 2, 2, 2).muli(2).addi(0.5);
        INDArray y = bn.forward(x, true).dup();
        INDArray w = bn.parameters().get(0).value();
        INDArray b = bn.parameters().get(1).value();
        int m = 3 * 4;
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        sum += x.getDouble(n, c, i, j);
                    }
                }
            }
            double mean = sum / m;
            double ss = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        ss += Math.pow(x.getDouble(n, c, i, j) - mean, 2);
                    }
                }
            }
            double var = ss / m;
            for (int n = 0; n < 3; n++) {
                double expect = (x.getDouble(n, c, 1, 0) - mean) / Math.sqrt(var + 1e-5) * w.getDouble(c) + b.getDouble(c);
                assertEquals(expect, y.getDouble(n, c, 1, 0), 1e-12);
            }
            assertEquals(0.9 * 0 + 0.1 * mean, bn.runningMean().getDouble(c), 1e-12);
            assertEquals(0.9 * 1 + 0.1 * ss / (m - 1), bn.runningVar().getDouble(c), 1e-12);
        }
        // A second step compounds the averages; eval then uses them.
        double rm0 = bn.runningMean().getDouble(0);
        double rv0 = bn.runningVar().getDouble(0);
        bn.forward(x, true);
        assertEquals(0.9 * rm0 + 0.1 * (rm0 / 0.1), bn.runningMean().getDouble(0), 1e-12);
        double rm = bn.runningMean().getDouble(0);
        double rv = bn.runningVar().getDouble(0);
        assertEquals(0.9 * rv0 + 0.1 * ((rv0 - 0.9) / 0.1), rv, 1e-12);
        INDArray ye = bn.forward(x, false);
        double expect = (x.getDouble(2, 0, 0, 1) - rm) / Math.sqrt(rv + 1e-5) * w.getDouble(0) + b.getDouble(0);
        assertEquals(expect, ye.getDouble(2, 0, 0, 1), 1e-12);
        assertEquals(rm, bn.runningMean().getDouble(0), 0.0, "eval must not update running stats");
    }

    @Test
    void batchNorm_largeBatchOnTwoThreads_matchesFormula_andRepeatsBitForBit() {
        // 8 x 4 x 128 x 256: each half of the samples holds 2^19 elements, so the passes take the parallel path
        int n = 8;
        int c = 4;
        int s = 128 * 256;
        INDArray x = GradientCheck.randn(21, n, c, 128, 256).muli(1.5).addi(0.25);
        INDArray g = GradientCheck.randn(22, n, c, 128, 256);
        BatchNorm bn = perturbed(new BatchNorm(c, true, D), 23);
        INDArray y = bn.forward(x, true).dup();
        INDArray dx = bn.backward(g).dup();
        double[] xv = x.data().asDouble();
        double[] gv = g.data().asDouble();
        double[] w = bn.parameters().get(0).value().toDoubleVector();
        double[] b = bn.parameters().get(1).value().toDoubleVector();
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < s; k++) {
                    sum += xv[(i * c + ch) * s + k];
                }
            }
            double mean = sum / (n * s);
            double ss = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < s; k++) {
                    ss += Math.pow(xv[(i * c + ch) * s + k] - mean, 2);
                }
            }
            double inv = 1 / Math.sqrt(ss / (n * s) + 1e-5);
            double gm = 0;
            double gxm = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < s; k++) {
                    int at = (i * c + ch) * s + k;
                    gm += gv[at];
                    gxm += gv[at] * (xv[at] - mean) * inv;
                }
            }
            gm /= n * s;
            gxm /= n * s;
            for (int i = 0; i < n; i += 3) {
                for (int k = 0; k < s; k += 2047) {
                    int at = (i * c + ch) * s + k;
                    double xhat = (xv[at] - mean) * inv;
                    assertEquals(xhat * w[ch] + b[ch], y.data().getDouble(at), 1e-12);
                    assertEquals(w[ch] * inv * (gv[at] - gm - xhat * gxm), dx.data().getDouble(at), 1e-10);
                }
            }
        }
        // float32 on the parallel path: a second instance reproduces every bit
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray gf = g.castTo(DataType.FLOAT);
        BatchNorm f1 = new BatchNorm(c, true, DataType.FLOAT);
        BatchNorm f2 = new BatchNorm(c, true, DataType.FLOAT);
        assertArrayEquals(f1.forward(xf, true).data().asFloat(), f2.forward(xf, true).data().asFloat());
        assertArrayEquals(f1.backward(gf).data().asFloat(), f2.backward(gf).data().asFloat());
    }

    @Test
    void batchNorm_fusedRelu_equalsBatchNormThenReLU_bitForBit_andMatchesFiniteDifferences() {
        for (DataType t : new DataType[] {DataType.FLOAT, D}) {
            for (boolean training : new boolean[] {true, false}) {
                BatchNorm fused = perturbed(new BatchNorm(3, true, t), 20);
                fused.fuseRelu();
                BatchNorm plain = perturbed(new BatchNorm(3, true, t), 20);
                ReLU relu = new ReLU();
                INDArray x = GradientCheck.randn(21, 4, 3, 5, 5).castTo(t);
                INDArray g = GradientCheck.randn(22, 4, 3, 5, 5).castTo(t);
                INDArray y = fused.forward(x, training);
                INDArray expected = relu.forward(plain.forward(x, training), training);
                assertEquals(expected, y, t + " forward, training " + training);
                assertTrue(y.minNumber().doubleValue() == 0.0 && y.maxNumber().doubleValue() > 0.0, "some values clipped");
                assertEquals(plain.backward(relu.backward(g)), fused.backward(g), t + " backward, training " + training);
                assertEquals(plain.parameters().get(0).gradient(), fused.parameters().get(0).gradient());
                assertEquals(plain.parameters().get(1).gradient(), fused.parameters().get(1).gradient());
            }
        }
        BatchNorm fd = perturbed(new BatchNorm(2, true, D), 23);
        fd.fuseRelu();
        GradientCheck.check(fd, GradientCheck.randn(24, 3, 2, 3, 3), true);
    }

    @Test
    void batchNorm_float32HostPasses_matchFloat64_withAffineMapAndFusedRelu() {
        // the float32 passes (one fused pass per channel in forward and in the input gradient) against the
        // float64 ones, whose gradients the finite-difference checks cover; mean far from 0 on purpose
        for (boolean relu : new boolean[] {false, true}) {
            BatchNorm f = perturbed(new BatchNorm(3, true, DataType.FLOAT), 40);
            BatchNorm d = perturbed(new BatchNorm(3, true, D), 40);
            if (relu) {
                f.fuseRelu();
                d.fuseRelu();
            }
            INDArray x = GradientCheck.randn(41, 6, 3, 7, 9).muli(2.0).addi(5.0);
            INDArray g = GradientCheck.randn(42, 6, 3, 7, 9);
            INDArray yf = f.forward(x.castTo(DataType.FLOAT), true).castTo(D);
            INDArray yd = d.forward(x, true);
            assertTrue(yf.equalsWithEps(yd, 1e-5), "forward, relu " + relu);
            assertTrue(yd.minNumber().doubleValue() < 0 != relu, "ReLU clips, the plain map does not");
            INDArray gf = f.backward(g.castTo(DataType.FLOAT)).castTo(D);
            INDArray gd = d.backward(g);
            assertTrue(gf.equalsWithEps(gd, 1e-4), "input gradient, relu " + relu);
            for (int i = 0; i < 2; i++) {
                assertTrue(f.parameters().get(i).gradient().castTo(D).equalsWithEps(d.parameters().get(i).gradient(), 1e-3),
                        "parameter gradient " + i + ", relu " + relu);
            }
        }
    }

    @Test
    void batchNorm_namesAndDecayFlags_followPyTorch() {
        BatchNorm bn = new BatchNorm(4);
        List<Parameter> ps = bn.parameters();
        assertEquals("weight", ps.get(0).name());
        assertEquals("bias", ps.get(1).name());
        assertEquals(1.0, ps.get(0).value().minNumber().doubleValue());
        assertEquals(0.0, ps.get(1).value().maxNumber().doubleValue());
        assertEquals(false, ps.get(0).weightDecay() || ps.get(1).weightDecay());
        assertEquals(List.of("running_mean", "running_var"), List.copyOf(bn.buffers().keySet()));
        assertEquals(DataType.FLOAT, ps.get(0).value().dataType());
        assertEquals(0, new BatchNorm(4, false, D).parameters().size());
    }

    @Test
    void batchNorm_badInput_throws() {
        BatchNorm bn = new BatchNorm(3, true, D);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(GradientCheck.randn(1, 4, 2, 5), true));
        assertEquals("BatchNorm.forward: expected input [N, 3], [N, 3, L] or [N, 3, H, W], got [4, 2, 5]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bn.forward(GradientCheck.randn(1, 1, 3), true));
        assertThrows(IllegalStateException.class, () -> bn.backward(GradientCheck.randn(1, 4, 3)));
    }

    @Test
    void layerNorm_gradients_matchFiniteDifferences() {
        GradientCheck.check(perturbed(new LayerNorm(5, D), 20), GradientCheck.randn(21, 3, 5), true);
        GradientCheck.check(perturbed(new LayerNorm(4, D), 22), GradientCheck.randn(23, 2, 3, 4), true);
        GradientCheck.check(new LayerNorm(4, 1e-5, false, D), GradientCheck.randn(24, 3, 4), true);
    }

    @Test
    void layerNorm_forward_matchesFormula() {
        LayerNorm ln = perturbed(new LayerNorm(4, D), 30);
        INDArray x = GradientCheck.randn(31, 2, 4);
        INDArray y = ln.forward(x, false);
        INDArray w = ln.parameters().get(0).value();
        INDArray b = ln.parameters().get(1).value();
        double mean = 0;
        for (int i = 0; i < 4; i++) {
            mean += x.getDouble(1, i) / 4;
        }
        double var = 0;
        for (int i = 0; i < 4; i++) {
            var += Math.pow(x.getDouble(1, i) - mean, 2) / 4;
        }
        for (int i = 0; i < 4; i++) {
            assertEquals((x.getDouble(1, i) - mean) / Math.sqrt(var + 1e-5) * w.getDouble(i) + b.getDouble(i),
                    y.getDouble(1, i), 1e-12);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> ln.forward(GradientCheck.randn(1, 2, 5), true));
        assertEquals("LayerNorm.forward: expected input [..., 4] of rank >= 2, got [2, 5]", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new LayerNorm(4, D).backward(x));
    }

    @Test
    void groupNorm_gradients_matchFiniteDifferences() {
        GradientCheck.check(perturbed(new GroupNorm(2, 4, D), 40), GradientCheck.randn(41, 3, 4, 3, 3), true);
        GradientCheck.check(perturbed(new GroupNorm(1, 3, D), 42), GradientCheck.randn(43, 2, 3, 5), true);
        GradientCheck.check(new GroupNorm(2, 4, 1e-5, false, D), GradientCheck.randn(44, 2, 4, 3), true);
    }

    @Test
    void groupNorm_forward_matchesFormula() {
        GroupNorm gn = perturbed(new GroupNorm(2, 4, D), 50);
        INDArray x = GradientCheck.randn(51, 2, 4, 3);
        INDArray y = gn.forward(x, true);
        assertArrayEquals(x.shape(), y.shape());
        INDArray w = gn.parameters().get(0).value();
        INDArray b = gn.parameters().get(1).value();
        // sample 1, group 1 = channels 2 and 3
        double mean = 0;
        for (int c = 2; c < 4; c++) {
            for (int l = 0; l < 3; l++) {
                mean += x.getDouble(1, c, l) / 6;
            }
        }
        double var = 0;
        for (int c = 2; c < 4; c++) {
            for (int l = 0; l < 3; l++) {
                var += Math.pow(x.getDouble(1, c, l) - mean, 2) / 6;
            }
        }
        assertEquals((x.getDouble(1, 3, 2) - mean) / Math.sqrt(var + 1e-5) * w.getDouble(3) + b.getDouble(3),
                y.getDouble(1, 3, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4, D));
        var e = assertThrows(IllegalArgumentException.class, () -> gn.forward(GradientCheck.randn(1, 2, 3, 3), true));
        assertEquals("GroupNorm.forward: expected input [N, 4, ...] of rank 2 to 4, got [2, 3, 3]", e.getMessage());
    }

    @Test
    void norms_repeatedInference_isBitIdentical() {
        INDArray x = GradientCheck.randn(60, 4, 4, 5, 5).castTo(DataType.FLOAT);
        BatchNorm bn = new BatchNorm(4);
        bn.forward(x, true);
        GradientCheck.assertRepeatable(bn, x, false);
        GradientCheck.assertRepeatable(new GroupNorm(2, 4, DataType.FLOAT), x, false);
        GradientCheck.assertRepeatable(new LayerNorm(5, DataType.FLOAT), x, false);
    }
}
