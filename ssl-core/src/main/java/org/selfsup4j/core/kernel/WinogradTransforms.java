package org.selfsup4j.core.kernel;

/**
 * The transforms of Winograd's minimal filtering algorithm F(2x2, 3x3) for convolutional layers
 * (Lavin and Gray 2016, "Fast Algorithms for Convolutional Neural Networks", CVPR, section 4.1), on
 * one tile in scalar double arithmetic. A 2x2 output tile {@code Y} of a 3x3 cross-correlation of a
 * 4x4 input patch {@code d} with a kernel {@code g} is
 * <pre>
 *   Y = A^T [ (G g G^T) .* (B^T d B) ] A
 *
 *         | 1  0 -1  0 |         |  1    0    0  |
 *   B^T = | 0  1  1  0 |     G = | 1/2  1/2  1/2 |     A^T = | 1  1  1  0 |
 *         | 0 -1  1  0 |         | 1/2 -1/2  1/2 |           | 0  1 -1 -1 |
 *         | 0  1  0 -1 |         |  0    0    1  |
 * </pre>
 * ({@code .*} element-wise), so a tile costs 16 multiplications per (input, output) channel pair
 * instead of 36: summed over input channels, the 16 element-wise products of all tiles become 16
 * matrix products {@code [C_out, C_in] x [C_in, tiles]}, 2.25 times fewer multiply-adds than the direct
 * convolution. The entries are 0, +-1 and +-1/2, so the transforms add only a few roundings (why
 * F(2x2, 3x3) and not F(4x4, 3x3), whose matrices hold +-1/4 .. +-8 and lose 2-3 more decimal digits in
 * float32, Lavin and Gray table 4).
 *
 * <p>The weight gradient is the adjoint: {@code dg = G^T [ sum_tiles (A dY A^T) .* (B^T d B) ] G}.
 *
 * <p>Tiles are 16 values {@code m[4i + j]} (row i, column j); kernels are 9 values {@code g[3i + j]}.
 * The float32 path of {@link WinogradConv} computes the same input and output transforms on vectors of
 * tiles (same formulas, in float); its kernel transform is {@link #kernel} here, rounded to float.
 */
final class WinogradTransforms {
    /** Positions of the transformed tile (4 x 4). */
    static final int POSITIONS = 16;

    private WinogradTransforms() {
    }

    /** {@code u = G g G^T}: g 9 values (row-major 3x3), u 16 values. */
    static void kernel(double[] g, double[] u) {
        for (int j = 0; j < 3; j++) {
            // column j of G g (4 rows), kept in u's rows for the second product
            double a = g[j];
            double b = g[3 + j];
            double c = g[6 + j];
            u[j] = a;
            u[4 + j] = 0.5 * (a + b + c);
            u[8 + j] = 0.5 * (a - b + c);
            u[12 + j] = c;
        }
        for (int i = 0; i < 4; i++) {
            // row i of (G g) G^T from row i of G g
            double a = u[4 * i];
            double b = u[4 * i + 1];
            double c = u[4 * i + 2];
            u[4 * i] = a;
            u[4 * i + 1] = 0.5 * (a + b + c);
            u[4 * i + 2] = 0.5 * (a - b + c);
            u[4 * i + 3] = c;
        }
    }

    /** {@code g += G^T du G} (the adjoint of {@link #kernel}): du 16 values, g 9 values. */
    static void kernelAdjoint(double[] du, double[] g) {
        double[] t = new double[12];
        for (int i = 0; i < 4; i++) {
            // row i of du G (3 values): G's columns are (1, 1/2, 1/2, 0), (0, 1/2, -1/2, 0), (0, 1/2, 1/2, 1)
            double a = du[4 * i];
            double b = du[4 * i + 1];
            double c = du[4 * i + 2];
            double d = du[4 * i + 3];
            t[3 * i] = a + 0.5 * (b + c);
            t[3 * i + 1] = 0.5 * (b - c);
            t[3 * i + 2] = 0.5 * (b + c) + d;
        }
        for (int j = 0; j < 3; j++) {
            double a = t[j];
            double b = t[3 + j];
            double c = t[6 + j];
            double d = t[9 + j];
            g[j] += a + 0.5 * (b + c);
            g[3 + j] += 0.5 * (b - c);
            g[6 + j] += 0.5 * (b + c) + d;
        }
    }

    /** {@code v = B^T d B}: d and v 16 values. */
    static void input(double[] d, double[] v) {
        double[] t = new double[16];
        for (int j = 0; j < 4; j++) {
            t[j] = d[j] - d[8 + j];
            t[4 + j] = d[4 + j] + d[8 + j];
            t[8 + j] = d[8 + j] - d[4 + j];
            t[12 + j] = d[4 + j] - d[12 + j];
        }
        for (int i = 0; i < 4; i++) {
            int r = 4 * i;
            v[r] = t[r] - t[r + 2];
            v[r + 1] = t[r + 1] + t[r + 2];
            v[r + 2] = t[r + 2] - t[r + 1];
            v[r + 3] = t[r + 1] - t[r + 3];
        }
    }

    /** {@code y = A^T m A}: m 16 values, y 4 values (2x2, row-major). */
    static void output(double[] m, double[] y) {
        for (int i = 0; i < 2; i++) {
            double[] p = new double[4];
            for (int j = 0; j < 4; j++) {
                p[j] = i == 0 ? m[j] + m[4 + j] + m[8 + j] : m[4 + j] - m[8 + j] - m[12 + j];
            }
            y[2 * i] = p[0] + p[1] + p[2];
            y[2 * i + 1] = p[1] - p[2] - p[3];
        }
    }

    /** {@code m = A y A^T} (the adjoint of {@link #output}): y 4 values, m 16 values. */
    static void outputAdjoint(double[] y, double[] m) {
        // A's rows: (1, 0), (1, 1), (1, -1), (0, -1)
        double[] t = new double[8];
        for (int j = 0; j < 2; j++) {
            double a = y[j];
            double b = y[2 + j];
            t[j] = a;
            t[2 + j] = a + b;
            t[4 + j] = a - b;
            t[6 + j] = -b;
        }
        for (int i = 0; i < 4; i++) {
            double a = t[2 * i];
            double b = t[2 * i + 1];
            m[4 * i] = a;
            m[4 * i + 1] = a + b;
            m[4 * i + 2] = a - b;
            m[4 * i + 3] = -b;
        }
    }
}
