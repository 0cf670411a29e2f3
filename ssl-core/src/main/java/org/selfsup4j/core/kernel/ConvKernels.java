package org.selfsup4j.core.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * im2col and col2im of {@link ConvCore} on host memory, one (channel, sample) plane at a time
 * through heap buffers: the padded plane is read once, each kernel tap's block is assembled on the
 * heap and written with one bulk put; col2im sums all taps of a plane on the heap and writes the
 * plane's interior straight into the input gradient.
 *
 * <p>Why: as strided copies of rank-4 views (libnd4j's assign, or {@link StridedCopy}) these moved
 * one output row per call; im2col and col2im were a quarter of a ResNet step after the GEMMs.
 * Column layout {@code [kH, kW, C, n, oH, oW]} as in {@link ConvCore}; indices are int (callers check
 * sizes).
 * <p>Deliberate twins (issue #12): the float32 and float64 {@code im2col}/{@code col2im} pairs,
 * identical but for the element type, for the reason given in {@link ElementwiseKernels} (primitive
 * arrays and NIO buffers have no common type the JIT vectorizes through).
 */
final class ConvKernels {
    private static final ThreadLocal<float[][]> FLOAT_ROWS = HeapBuffers.floatSlots(2);
    private static final ThreadLocal<double[][]> DOUBLE_ROWS = HeapBuffers.doubleSlots(2);

    /** Sizes of one convolution: channels, input, padded input and output extents, kernel, stride, padding. */
    record Geometry(int c, int h, int w, int hp, int wp, int oH, int oW, int kH, int kW, int sH, int sW, int pH,
            int pW) {
    }

    private ConvKernels() {
    }

    /** Heap buffer {@code which} (0 plane, 1 block) of this thread, at least {@code len} floats. */
    static float[] floatBuf(int which, int len) {
        return HeapBuffers.floats(FLOAT_ROWS, which, len);
    }

    /** Heap buffer {@code which} (0 plane, 1 block) of this thread, at least {@code len} doubles. */
    static double[] doubleBuf(int which, int len) {
        return HeapBuffers.doubles(DOUBLE_ROWS, which, len);
    }

    // ---- FLOAT ----

    /** {@code col[t][c][n][oh][ow] = xpad[n0 + n][c][i + oh*sH][j + ow*sW]}, {@code t = i*kW + j}. */
    static void im2col(FloatBuffer xp, int xp0, FloatBuffer col, int col0, Geometry g, int n0, int nChunk,
            float[] plane, float[] block) {
        int planeLen = g.hp * g.wp;
        int blockLen = g.oH * g.oW;
        for (int c = 0; c < g.c; c++) {
            for (int n = 0; n < nChunk; n++) {
                xp.get(xp0 + ((n0 + n) * g.c + c) * planeLen, plane, 0, planeLen);
                for (int i = 0; i < g.kH; i++) {
                    for (int j = 0; j < g.kW; j++) {
                        int q = 0;
                        for (int oh = 0; oh < g.oH; oh++) {
                            int src = (i + oh * g.sH) * g.wp + j;
                            if (g.sW == 1) {
                                System.arraycopy(plane, src, block, q, g.oW);
                                q += g.oW;
                            } else {
                                for (int ow = 0; ow < g.oW; ow++, q++, src += g.sW) {
                                    block[q] = plane[src];
                                }
                            }
                        }
                        int t = i * g.kW + j;
                        col.put(col0 + ((t * g.c + c) * nChunk + n) * blockLen, block, 0, blockLen);
                    }
                }
            }
        }
    }

    /**
     * Sums the column gradient back onto the padded input plane of each (channel, sample) and writes
     * the plane's interior to {@code gIn[n0 + n][c]} ([N, C, H, W]); every plane is complete within one
     * call, so no padded gradient array is kept or zeroed.
     */
    static void col2im(FloatBuffer gcol, int g0, FloatBuffer gIn, int gIn0, Geometry g, int n0, int nChunk,
            float[] plane, float[] block) {
        int planeLen = g.hp * g.wp;
        int blockLen = g.oH * g.oW;
        for (int c = 0; c < g.c; c++) {
            for (int n = 0; n < nChunk; n++) {
                java.util.Arrays.fill(plane, 0, planeLen, 0);
                for (int i = 0; i < g.kH; i++) {
                    for (int j = 0; j < g.kW; j++) {
                        int t = i * g.kW + j;
                        gcol.get(g0 + ((t * g.c + c) * nChunk + n) * blockLen, block, 0, blockLen);
                        int q = 0;
                        for (int oh = 0; oh < g.oH; oh++) {
                            int dst = (i + oh * g.sH) * g.wp + j;
                            if (g.sW == 1) {
                                for (int ow = 0; ow < g.oW; ow++) {
                                    plane[dst + ow] += block[q + ow];
                                }
                                q += g.oW;
                            } else {
                                for (int ow = 0; ow < g.oW; ow++, q++, dst += g.sW) {
                                    plane[dst] += block[q];
                                }
                            }
                        }
                    }
                }
                int out = gIn0 + ((n0 + n) * g.c + c) * g.h * g.w;
                for (int r = 0; r < g.h; r++) {
                    gIn.put(out + r * g.w, plane, (r + g.pH) * g.wp + g.pW, g.w);
                }
            }
        }
    }

    // ---- DOUBLE ----

    /** {@code col[t][c][n][oh][ow] = xpad[n0 + n][c][i + oh*sH][j + ow*sW]}, {@code t = i*kW + j}. */
    static void im2col(DoubleBuffer xp, int xp0, DoubleBuffer col, int col0, Geometry g, int n0, int nChunk,
            double[] plane, double[] block) {
        int planeLen = g.hp * g.wp;
        int blockLen = g.oH * g.oW;
        for (int c = 0; c < g.c; c++) {
            for (int n = 0; n < nChunk; n++) {
                xp.get(xp0 + ((n0 + n) * g.c + c) * planeLen, plane, 0, planeLen);
                for (int i = 0; i < g.kH; i++) {
                    for (int j = 0; j < g.kW; j++) {
                        int q = 0;
                        for (int oh = 0; oh < g.oH; oh++) {
                            int src = (i + oh * g.sH) * g.wp + j;
                            if (g.sW == 1) {
                                System.arraycopy(plane, src, block, q, g.oW);
                                q += g.oW;
                            } else {
                                for (int ow = 0; ow < g.oW; ow++, q++, src += g.sW) {
                                    block[q] = plane[src];
                                }
                            }
                        }
                        int t = i * g.kW + j;
                        col.put(col0 + ((t * g.c + c) * nChunk + n) * blockLen, block, 0, blockLen);
                    }
                }
            }
        }
    }

    /**
     * Sums the column gradient back onto the padded input plane of each (channel, sample) and writes
     * the plane's interior to {@code gIn[n0 + n][c]} ([N, C, H, W]); every plane is complete within one
     * call, so no padded gradient array is kept or zeroed.
     */
    static void col2im(DoubleBuffer gcol, int g0, DoubleBuffer gIn, int gIn0, Geometry g, int n0, int nChunk,
            double[] plane, double[] block) {
        int planeLen = g.hp * g.wp;
        int blockLen = g.oH * g.oW;
        for (int c = 0; c < g.c; c++) {
            for (int n = 0; n < nChunk; n++) {
                java.util.Arrays.fill(plane, 0, planeLen, 0);
                for (int i = 0; i < g.kH; i++) {
                    for (int j = 0; j < g.kW; j++) {
                        int t = i * g.kW + j;
                        gcol.get(g0 + ((t * g.c + c) * nChunk + n) * blockLen, block, 0, blockLen);
                        int q = 0;
                        for (int oh = 0; oh < g.oH; oh++) {
                            int dst = (i + oh * g.sH) * g.wp + j;
                            if (g.sW == 1) {
                                for (int ow = 0; ow < g.oW; ow++) {
                                    plane[dst + ow] += block[q + ow];
                                }
                                q += g.oW;
                            } else {
                                for (int ow = 0; ow < g.oW; ow++, q++, dst += g.sW) {
                                    plane[dst] += block[q];
                                }
                            }
                        }
                    }
                }
                int out = gIn0 + ((n0 + n) * g.c + c) * g.h * g.w;
                for (int r = 0; r < g.h; r++) {
                    gIn.put(out + r * g.w, plane, (r + g.pH) * g.wp + g.pW, g.w);
                }
            }
        }
    }
}
