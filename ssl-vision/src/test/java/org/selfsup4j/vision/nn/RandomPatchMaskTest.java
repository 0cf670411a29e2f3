package org.selfsup4j.vision.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RandomPatchMaskTest {
    /** Strictly positive input, so a zero in the output can only come from the mask. */
    private static INDArray positive(long... shape) {
        return Nd4j.rand(DataType.DOUBLE, shape).addi(0.5);
    }

    @Test
    void training_zeroesExactlyTheRatioOfWholePatchesPerImageAcrossChannels() {
        RandomPatchMask mask = new RandomPatchMask(4, 0.5, 3);
        INDArray x = positive(5, 3, 16, 12);
        INDArray y = mask.forward(x, true);
        for (int n = 0; n < 5; n++) {
            int zeroPatches = 0;
            for (int py = 0; py < 4; py++) {
                for (int px = 0; px < 3; px++) {
                    int zeros = 0;
                    for (int c = 0; c < 3; c++) {
                        for (int i = 0; i < 4; i++) {
                            for (int j = 0; j < 4; j++) {
                                double v = y.getDouble(n, c, py * 4 + i, px * 4 + j);
                                if (v == 0) {
                                    zeros++;
                                } else {
                                    assertEquals(x.getDouble(n, c, py * 4 + i, px * 4 + j), v, 0.0);
                                }
                            }
                        }
                    }
                    assertTrue(zeros == 0 || zeros == 48, "patch partly masked: " + zeros + " of 48");
                    zeroPatches += zeros == 48 ? 1 : 0;
                }
            }
            assertEquals(6, zeroPatches, "image " + n + ": half of its 12 patches");
        }
    }

    @Test
    void partialEdgePatches_countAsPatches() {
        // 10 x 10 with 4-pixel patches: a 3 x 3 grid whose last row and column are 2 pixels wide.
        INDArray y = new RandomPatchMask(4, 0.34, 1).forward(positive(1, 1, 10, 10), true);
        int zeros = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                zeros += y.getDouble(0, 0, i, j) == 0 ? 1 : 0;
            }
        }
        // round(0.34 * 9) = 3 patches of 16, 8 or 4 pixels.
        assertTrue(zeros >= 12 && zeros <= 48, zeros + " pixels masked");
    }

    @Test
    void evaluation_isTheIdentity() {
        RandomPatchMask mask = new RandomPatchMask(4, 0.5, 3);
        INDArray x = positive(2, 3, 8, 8);
        assertSame(x, mask.forward(x, false));
        INDArray g = positive(2, 3, 8, 8);
        assertSame(g, mask.backward(g));
    }

    @Test
    void backward_passesTheGradientOnlyWhereTheInputWasKept() {
        RandomPatchMask mask = new RandomPatchMask(2, 0.25, 9);
        INDArray x = positive(3, 2, 6, 6);
        INDArray y = mask.forward(x, true);
        INDArray g = positive(3, 2, 6, 6);
        INDArray gx = mask.backward(g);
        for (long i = 0; i < x.length(); i++) {
            double kept = y.getDouble(i) / x.getDouble(i);
            assertEquals(kept * g.getDouble(i), gx.getDouble(i), 1e-15);
        }
    }

    @Test
    void masks_changeEveryStep_andRepeatFromTheCallsBuffer() {
        RandomPatchMask a = new RandomPatchMask(4, 0.5, 42);
        INDArray x = positive(4, 1, 16, 16);
        INDArray first = a.forward(x, true).dup();
        INDArray second = a.forward(x, true).dup();
        assertNotEquals(first, second, "the second step drew the same masks");
        // the arrays are reused: the second step's masks must not keep any of the first step's zeros
        assertEquals(first.eq(0).castTo(DataType.INT32).sumNumber().intValue(),
                second.eq(0).castTo(DataType.INT32).sumNumber().intValue());
        // A copy restored to after the first call, as a checkpoint restores buffers, draws the second masks.
        RandomPatchMask b = new RandomPatchMask(4, 0.5, 42);
        b.buffers().get("calls").assign(1);
        assertEquals(second, b.forward(x, true));
        assertEquals(2.0, a.buffers().get("calls").getDouble(0));
    }

    @Test
    void badArguments_areRejectedWithWhatCame() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomPatchMask(0, 0.5, 1))
                .getMessage().contains("patch must be > 0, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomPatchMask(4, 1.0, 1))
                .getMessage().contains("ratio must be in [0, 1), got 1.0"));
        RandomPatchMask mask = new RandomPatchMask(4, 0.5, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> mask.forward(Nd4j.zeros(3, 4), true))
                .getMessage().contains("expected input [N, C, H, W], got [3, 4]"));
        assertThrows(IllegalStateException.class, () -> mask.backward(Nd4j.zeros(1, 1, 4, 4)));
        mask.forward(positive(1, 1, 4, 4), true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> mask.backward(Nd4j.zeros(1, 1, 8, 8)))
                .getMessage().contains("gradOutput must have shape [1, 1, 4, 4]"));
    }
}
