package org.selfsup4j.core.kernel;

/**
 * The float64 path of {@link WinogradConv}: F(2x2, 3x3) one tile at a time with the scalar transforms
 * of {@link WinogradTransforms}, on heap copies of the arrays. It serves the finite-difference
 * gradient checks and the float64-versus-direct comparisons that pin the algorithm (tile edges, the
 * flipped kernel of the input gradient, the adjoint transforms of the weight gradient); speed is not
 * its concern (float64 layers keep the direct path unless {@code selfsup4j.conv=winograd}).
 *
 * <p>Not a twin of the float32 path: that one vectorises the transforms over tiles and runs the 16
 * products through the matrix kernel; this one is the textbook loop nest, kept readable on purpose.
 */
final class WinogradDouble {
    private static final int P = WinogradTransforms.POSITIONS;

    private WinogradDouble() {
    }

    /**
     * The transformed kernels {@code U[(r * cols + q) * 16 + xi]} of {@code rows x cols} 3x3 kernels:
     * kernel (r, q) is {@code w[(r * cols + q) * 9 ..]}, or, when {@code flipped}, the input-gradient
     * kernel {@code w'[r][q][i][j] = w[q][r][2 - i][2 - j]} of a weight {@code w [cols][rows][3][3]}.
     */
    static double[] kernels(double[] w, int rows, int cols, boolean flipped) {
        double[] u = new double[rows * cols * P];
        double[] g = new double[9];
        double[] t = new double[P];
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                for (int i = 0; i < 9; i++) {
                    g[i] = flipped ? w[(q * rows + r) * 9 + 8 - i] : w[(r * cols + q) * 9 + i];
                }
                WinogradTransforms.kernel(g, t);
                System.arraycopy(t, 0, u, (r * cols + q) * P, P);
            }
        }
        return u;
    }

    /** The transformed patch of tile (tr, tc) of plane {@code x[base + y * w + col]} ({@code h x w}, zero outside). */
    private static void patch(double[] x, int base, int h, int w, int tr, int tc, double[] d, double[] v) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                int y = 2 * tr - 1 + i;
                int col = 2 * tc - 1 + j;
                d[4 * i + j] = y >= 0 && y < h && col >= 0 && col < w ? x[base + y * w + col] : 0;
            }
        }
        WinogradTransforms.input(d, v);
    }

    /** The transformed patches {@code v[c * 16 ..]} of tile (tr, tc) of sample s for every channel c. */
    private static void patches(double[] x, int s, int channels, int h, int w, int tr, int tc, double[] d, double[] vi,
            double[] v) {
        for (int c = 0; c < channels; c++) {
            patch(x, (s * channels + c) * h * w, h, w, tr, tc, d, vi);
            System.arraycopy(vi, 0, v, c * P, P);
        }
    }

    /**
     * {@code out[n][co][h][w] = conv3x3(x[n][ci][h][w])} (stride 1, padding 1) with transformed kernels
     * {@code u} ({@link #kernels} of {@code co x ci}), plus {@code bias} (or null).
     */
    static void convolve(double[] x, int n, int ci, int h, int w, double[] u, int co, double[] bias, double[] out) {
        int tH = (h + 1) / 2;
        int tW = (w + 1) / 2;
        double[] d = new double[P];
        double[] v = new double[ci * P];
        double[] vi = new double[P];
        double[] m = new double[P];
        double[] y = new double[4];
        for (int s = 0; s < n; s++) {
            for (int tr = 0; tr < tH; tr++) {
                for (int tc = 0; tc < tW; tc++) {
                    patches(x, s, ci, h, w, tr, tc, d, vi, v);
                    for (int o = 0; o < co; o++) {
                        java.util.Arrays.fill(m, 0);
                        for (int c = 0; c < ci; c++) {
                            for (int xi = 0; xi < P; xi++) {
                                m[xi] += u[(o * ci + c) * P + xi] * v[c * P + xi];
                            }
                        }
                        WinogradTransforms.output(m, y);
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                int row = 2 * tr + a;
                                int col = 2 * tc + b;
                                if (row < h && col < w) {
                                    out[((s * co + o) * h + row) * w + col] = y[2 * a + b] + (bias != null ? bias[o] : 0);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the weight gradient {@code gw[o][c][3][3]} of a stride-1, padding-1 3x3 convolution of
     * {@code x[n][c][h][w]} with output gradient {@code gy[n][o][h][w]}, through the adjoint transforms,
     * and (when {@code gb} is not null) the bias gradient.
     */
    static void weightGradient(double[] x, double[] gy, int n, int c, int o, int h, int w, double[] gw, double[] gb) {
        int tH = (h + 1) / 2;
        int tW = (w + 1) / 2;
        double[] du = new double[o * c * P];
        double[] d = new double[P];
        double[] v = new double[c * P];
        double[] vi = new double[P];
        double[] yt = new double[4];
        double[] dm = new double[P];
        for (int s = 0; s < n; s++) {
            for (int tr = 0; tr < tH; tr++) {
                for (int tc = 0; tc < tW; tc++) {
                    patches(x, s, c, h, w, tr, tc, d, vi, v);
                    for (int oo = 0; oo < o; oo++) {
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                int row = 2 * tr + a;
                                int col = 2 * tc + b;
                                yt[2 * a + b] = row < h && col < w ? gy[((s * o + oo) * h + row) * w + col] : 0;
                            }
                        }
                        WinogradTransforms.outputAdjoint(yt, dm);
                        for (int ci = 0; ci < c; ci++) {
                            for (int xi = 0; xi < P; xi++) {
                                du[(oo * c + ci) * P + xi] += dm[xi] * v[ci * P + xi];
                            }
                        }
                    }
                }
            }
        }
        double[] dui = new double[P];
        double[] g = new double[9];
        for (int k = 0; k < o * c; k++) {
            System.arraycopy(du, k * P, dui, 0, P);
            java.util.Arrays.fill(g, 0);
            WinogradTransforms.kernelAdjoint(dui, g);
            for (int i = 0; i < 9; i++) {
                gw[k * 9 + i] += g[i];
            }
        }
        if (gb != null) {
            for (int oo = 0; oo < o; oo++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    for (int p = 0; p < h * w; p++) {
                        sum += gy[(s * o + oo) * h * w + p];
                    }
                }
                gb[oo] += sum;
            }
        }
    }
}
