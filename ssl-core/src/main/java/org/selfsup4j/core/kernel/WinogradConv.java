package org.selfsup4j.core.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 3x3, stride-1, padding-1 convolutions of {@link ConvCore} by Winograd's F(2x2, 3x3) (Lavin and Gray
 * 2016, "Fast Algorithms for Convolutional Neural Networks"; the matrices are in
 * {@link WinogradTransforms}): 2.25 times fewer multiply-adds than the direct path for the forward and
 * the input gradient, the two products that dominate the ResNet's stride-1 layers.
 *
 * <p><b>Forward</b> (float32), per block of whole tile rows (2 output rows each) of a chunk's samples:
 * <ol>
 *   <li>the block's input rows are staged zero-padded with even and odd columns split
 *       ({@code E[t] = xpad[2t]}, {@code O[t] = xpad[2t+1]}), so that the four columns of tile t,
 *       {@code E[t], O[t], E[t+1], O[t+1]}, are four contiguous vector loads for a vector of tiles;</li>
 *   <li>{@code V[xi][c][tile] = (B^T d B)[xi]} with the Vector API, a vector of consecutive tiles of
 *       one tile row at a time;</li>
 *   <li>16 matrix products {@code M[xi] [C_out, tiles] = U[xi] [C_out, C_in] . V[xi] [C_in, tiles]}
 *       through {@link ConvVectorKernels#gemmOffsetB} (the project's matrix kernel, ~100 GFLOP/s on one
 *       core), {@code U = G g G^T} computed once per call in row panels;</li>
 *   <li>{@code Y = A^T M A} per tile, vectorised the same way, even and odd output columns interleaved
 *       into rows that go straight into the off-heap output (one absolute bulk put per row).</li>
 * </ol>
 * <b>Input gradient</b>: the same routine on the output gradient with the flipped, transposed kernel
 * {@code w'[c][o][i][j] = w[o][c][2-i][2-j]} (the input gradient of a stride-1 "same" 3x3
 * cross-correlation is such a cross-correlation). <b>Weight gradient</b> (float32): the direct path's
 * implicit 3x3 weight gradient ({@link DirectConv#weightGradient}); a Winograd weight gradient would
 * need the transformed input again and an adjoint product per position, left for a later round.
 *
 * <p><b>Float64</b> (the finite-difference checks) runs {@link WinogradDouble}, the scalar textbook
 * version of the same algorithm; float64 layers take this class only under
 * {@code -Dselfsup4j.conv=winograd} (or a test's {@link #mode}), so the default float64 numerics are
 * those of the direct path.
 *
 * <p><b>Determinism</b>: the batch is cut into {@link #chunks} fixed chunks of whole samples (a function
 * of the geometry only) run through {@link Parallel}; every output value is computed by one chunk
 * with one fixed order of operations, and the weight gradient is the direct path's chunk-ordered sum,
 * so results are bit-identical for any thread count.
 *
 * <p><b>Dispatch</b> ({@link #applies}): system property {@value #PROPERTY} = {@code auto} (default:
 * float32 3x3 stride-1 padding-1 layers with at least {@value #MIN_SIZE} rows and columns and at least
 * {@value #MIN_CHANNELS} input channels), {@code direct} (never), {@code winograd} (every 3x3 stride-1
 * padding-1 layer, float64 included).
 */
final class WinogradConv {
    /** System property choosing the convolution algorithm: {@code auto}, {@code direct} or {@code winograd}. */
    static final String PROPERTY = "selfsup4j.conv";
    /** Smallest height and width that {@code auto} sends here (smaller maps: see benchmarks/README.md). */
    static final int MIN_SIZE = 8;
    /** Fewest input channels that {@code auto} sends here (the 3-channel stem gains nothing: its product is short). */
    static final int MIN_CHANNELS = 8;
    /** Most chunks of a batch (as {@link DirectConv#MAX_CHUNKS}). */
    static final int MAX_CHUNKS = 8;

    /** The algorithm choice (tests set it; read from {@value #PROPERTY} at class initialisation). */
    static volatile String mode = System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);

    private static final int P = WinogradTransforms.POSITIONS;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Per calling thread: 0 transformed kernels in row panels. */
    private static final ThreadLocal<float[][]> STAGING = HeapBuffers.floatSlots(1);
    /** Per chunk thread: 0 staged input rows, 1 V, 2 M, 3 one raw row, 4 output tile rows (4 of them), 5 one output row. */
    private static final ThreadLocal<float[][]> BLOCK = HeapBuffers.floatSlots(6);
    /** Per chunk thread: 0 reduction offsets of the products, 1 unit bases in the staging, 2 their channel strides. */
    private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[3][0]);

    private final int c;
    private final int o;
    private final int n;
    private final int h;
    private final int w;
    private final DataType dtype;
    /** Tiles per column and per row; tiles per row rounded up to whole vectors; a staged half-row's length. */
    private final int tH;
    private final int tW;
    private final int tWv;
    private final int rl;
    /** Tile rows per block: about {@link #blockTiles} tiles. */
    private final int unitsPerBlock;
    private final int chunks;
    /** The direct path of the same geometry, for the float32 weight gradient; its arrays are the outputs here. */
    private final DirectConv direct;
    private final float[] wt;
    private final float[] b;
    private INDArray input;
    final INDArray out;
    final INDArray gIn;

    WinogradConv(int c, int o, int n, int h, int w, boolean hasBias, DataType dtype) {
        this.c = c;
        this.o = o;
        this.n = n;
        this.h = h;
        this.w = w;
        this.dtype = dtype;
        tH = (h + 1) / 2;
        tW = (w + 1) / 2;
        tWv = (tW + L - 1) / L * L;
        rl = tWv + L;
        unitsPerBlock = Math.max(1, blockTiles(Math.max(c, o)) / tW);
        chunks = (int) Math.max(1, Math.min(Math.min(MAX_CHUNKS, n), (long) n * tH * tW / 64));
        if (dtype == DataType.FLOAT) {
            direct = new DirectConv(c, o, 3, 3, 1, 1, 1, 1, n, h, w, h, w, hasBias);
            out = direct.out;
            gIn = direct.gIn;
        } else {
            direct = null;
            out = Nd4j.create(dtype, n, o, h, w);
            gIn = Nd4j.create(dtype, n, c, h, w);
        }
        wt = new float[o * c * 9];
        b = hasBias ? new float[o] : null;
    }

    /**
     * Whether a convolution of this geometry runs here: 3x3, stride 1, padding 1 on the CPU backend,
     * sizes within int indexing, and the {@link #mode}: {@code direct} never, {@code winograd} always,
     * {@code auto} for float32 with the Vector API on maps of at least {@value #MIN_SIZE} x
     * {@value #MIN_SIZE} with at least {@value #MIN_CHANNELS} input channels.
     */
    static boolean applies(DataType dtype, int c, int o, int kH, int kW, int sH, int sW, int pH, int pW, long n, long h,
            long w) {
        String m = mode;
        if ("direct".equals(m) || kH != 3 || kW != 3 || sH != 1 || sW != 1 || pH != 1 || pW != 1 || !StridedCopy.cpu()) {
            return false;
        }
        long big = Integer.MAX_VALUE / 4;
        if (n * Math.max(c, o) * (h + 4) * (w + 2 * L) >= big) {
            return false;
        }
        boolean float32 = dtype == DataType.FLOAT && DirectConv.applies(dtype, n, c, o, h, w, h, w, 9L * c);
        if ("winograd".equals(m)) {
            return float32 || dtype == DataType.DOUBLE;
        }
        return float32 && h >= MIN_SIZE && w >= MIN_SIZE && c >= MIN_CHANNELS;
    }

    /**
     * Tiles per block for the wider of the two channel counts: V and M of a block ({@code 16 (C_in +
     * C_out) x tiles} floats) stay about 0.5 MB (in the L2 cache), at least one column panel.
     */
    static int blockTiles(int channels) {
        return Math.max(ConvVectorKernels.NR, 4096 / channels);
    }

    /** @param xIn [N, C, H, W]; w4 [O, C, 3, 3]; bias [O] or null @return the output [N, O, H, W] (a reused buffer) */
    INDArray forward(INDArray xIn, INDArray w4, INDArray bias) {
        input = xIn;
        if (dtype == DataType.DOUBLE) {
            weightDouble = doubles(w4);
            double[] y = new double[n * o * h * w];
            WinogradDouble.convolve(doubles(xIn), n, c, h, w, WinogradDouble.kernels(weightDouble, o, c, false), o,
                    bias != null ? doubles(bias) : null, y);
            out.assign(Nd4j.create(y, new long[] {n, o, h, w}, 'c'));
            return out;
        }
        read(w4, wt, o * c * 9);
        if (b != null) {
            read(bias, b, o);
        }
        int oPad = roundUp(o, ConvVectorKernels.MR);
        float[] uP = kernelPanels(false, o, oPad, c);
        convolve(xIn, c, uP, o, oPad, out, b);
        return out;
    }

    /** Adds the parameter gradients into {@code gw4}/{@code gBias} and returns the input gradient (a reused buffer). */
    INDArray backward(INDArray gradOut, INDArray gw4, INDArray gBias) {
        if (dtype == DataType.DOUBLE) {
            double[] gy = doubles(gradOut);
            double[] gw = doubles(gw4);
            double[] gb = gBias != null ? doubles(gBias) : null;
            WinogradDouble.weightGradient(doubles(input), gy, n, c, o, h, w, gw, gb);
            gw4.assign(Nd4j.create(gw, gw4.shape(), 'c'));
            if (gBias != null) {
                gBias.assign(Nd4j.create(gb, gBias.shape(), 'c'));
            }
            double[] gx = new double[n * c * h * w];
            WinogradDouble.convolve(gy, n, o, h, w, WinogradDouble.kernels(weightDouble, c, o, true), c, null, gx);
            gIn.assign(Nd4j.create(gx, new long[] {n, c, h, w}, 'c'));
            return gIn;
        }
        direct.weightGradient(input, gradOut, gw4, gBias);
        int cPad = roundUp(c, ConvVectorKernels.MR);
        float[] uP = kernelPanels(true, c, cPad, o);
        convolve(gradOut, o, uP, c, cPad, gIn, null);
        return gIn;
    }

    // ---- float64 path ----

    /** The last float64 forward's weight [O, C, 3, 3], read again for the input gradient. */
    private double[] weightDouble;

    /** A heap copy of {@code a} (c-order). */
    private static double[] doubles(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    // ---- float32 path ----

    /**
     * The transformed kernels {@code U[xi]} ({@code rows x cols}, rows padded to {@code rowsPad} with
     * zeros) in the row panels of {@link ConvVectorKernels#gemm}: position xi starts at
     * {@code xi * rowsPad * cols}. {@code flipped}: the input-gradient kernel {@code w'[r][q] = flip(w[q][r])}.
     * Each transform is {@link WinogradTransforms#kernel} in double, rounded to float once.
     */
    private float[] kernelPanels(boolean flipped, int rows, int rowsPad, int cols) {
        int mr = ConvVectorKernels.MR;
        float[] uP = HeapBuffers.floats(STAGING, 0, P * rowsPad * cols);
        double[] g = new double[9];
        double[] u = new double[P];
        for (int r = 0; r < rowsPad; r++) {
            for (int q = 0; q < cols; q++) {
                if (r < rows) {
                    for (int i = 0; i < 9; i++) {
                        g[i] = flipped ? wt[(q * rows + r) * 9 + 8 - i] : wt[(r * cols + q) * 9 + i];
                    }
                    WinogradTransforms.kernel(g, u);
                } else {
                    Arrays.fill(u, 0);
                }
                int at = r / mr * cols * mr + q * mr + r % mr;
                for (int xi = 0; xi < P; xi++) {
                    uP[xi * rowsPad * cols + at] = (float) u[xi];
                }
            }
        }
        return uP;
    }

    /**
     * {@code dst[n][co][h][w] = conv3x3(src[n][ci][h][w]) + bias} with transformed kernels {@code uP}
     * ({@link #kernelPanels}, {@code coPad} rows), over the fixed chunks of the batch.
     */
    private void convolve(INDArray src, int ci, float[] uP, int co, int coPad, INDArray dst, float[] bias) {
        INDArray dense = StridedCopy.floats(src) != null ? src : src.dup('c');
        FloatBuffer sb = StridedCopy.floats(dense);
        int s0 = (int) dense.offset();
        FloatBuffer db = StridedCopy.floats(dst);
        Parallel.forEachChunk(n, chunks, true, (ch, n0, n1) -> {
            for (int u0 = n0 * tH; u0 < n1 * tH; u0 += unitsPerBlock) {
                int units = Math.min(unitsPerBlock, n1 * tH - u0);
                block(sb, s0, ci, uP, co, coPad, db, bias, u0, units);
            }
        });
    }

    /** One block: {@code units} tile rows (unit u = sample u / tH, tile row u % tH) from unit {@code u0}. */
    private void block(FloatBuffer sb, int s0, int ci, float[] uP, int co, int coPad, FloatBuffer db, float[] bias,
            int u0, int units) {
        int tiles = units * tW;
        int nCols = roundUp(tiles, ConvVectorKernels.NR);
        // row stride of V and M: whole column panels, and room for the last tile row's whole vectors
        int ld = Math.max(nCols, (units - 1) * tW + tWv);
        int[][] ints = ints(Math.max(ci, units));
        int[] base = ints[1];
        int[] cStride = ints[2];
        float[] staged = stage(sb, s0, ci, u0, units, base, cStride);
        float[] v = HeapBuffers.floats(BLOCK, 1, P * ci * ld);
        transformInput(staged, ci, units, base, cStride, v, ld);
        float[] m = HeapBuffers.floats(BLOCK, 2, P * coPad * ld);
        int[] offs = ints[0];
        for (int l = 0; l < ci; l++) {
            offs[l] = l * ld;
        }
        int mr = ConvVectorKernels.MR;
        for (int xi = 0; xi < P; xi++) {
            // M[xi] [coPad, nCols] = U[xi] [coPad, ci] . V[xi] [ci, nCols]
            ConvVectorKernels.gemmOffsetB(uP, xi * coPad * ci, ci * mr, v, xi * ci * ld, offs, m, xi * coPad * ld, ld, coPad,
                    nCols, ci);
        }
        transformOutput(m, co, coPad, u0, units, ld, db, bias);
    }

    private static int[][] ints(int len) {
        int[][] t = INTS.get();
        if (t[0].length < len) {
            t = new int[][] {new int[len], new int[len], new int[len]};
            INTS.set(t);
        }
        return t;
    }

    /**
     * Stages the padded input rows of a block: per run of the block's tile rows within one sample
     * (tile rows {@code ra..rb}), padded rows {@code 2 ra .. 2 rb + 3} of every channel, each as an even
     * half-row {@code E} then an odd half-row {@code O} of {@link #rl} floats (zero past the data).
     * {@code base[q]} is where unit {@code u0 + q}'s first row of channel 0 lies, {@code cStride[q]} the
     * distance between its channels.
     */
    private float[] stage(FloatBuffer sb, int s0, int ci, int u0, int units, int[] base, int[] cStride) {
        // at most 2 rows per unit plus 2 per sample run (a run per unit in the worst case)
        float[] st = HeapBuffers.floats(BLOCK, 0, ci * 4 * units * 2 * rl);
        float[] raw = HeapBuffers.floats(BLOCK, 3, w);
        int at = 0;
        for (int q = 0; q < units; ) {
            int s = (u0 + q) / tH;
            int ra = (u0 + q) % tH;
            int run = Math.min(units - q, tH - ra);
            int rows = 2 * run + 2;
            int stride = rows * 2 * rl;
            for (int k = 0; k < run; k++) {
                base[q + k] = at + 2 * k * 2 * rl;
                cStride[q + k] = stride;
            }
            for (int ch = 0; ch < ci; ch++) {
                for (int y = 0; y < rows; y++) {
                    int row = at + ch * stride + y * 2 * rl;
                    Arrays.fill(st, row, row + 2 * rl, 0f);
                    int iy = 2 * ra + y - 1;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    sb.get(s0 + ((s * ci + ch) * h + iy) * w, raw, 0, w);
                    // padded column x + 1: odd input columns land in E, even ones in O
                    for (int x = 1, e = row + 1; x < w; x += 2, e++) {
                        st[e] = raw[x];
                    }
                    for (int x = 0, e = row + rl; x < w; x += 2, e++) {
                        st[e] = raw[x];
                    }
                }
            }
            at += ci * stride;
            q += run;
        }
        return st;
    }

    /**
     * {@code V[xi][ch][(q) * tW + t] = (B^T d B)[xi]} for every channel, unit q and tile t, a vector of
     * {@code L} tiles at a time. The lanes past a tile row's last tile write into the next unit's
     * columns (which that unit overwrites later) or past the block's tiles (never read as results).
     */
    private void transformInput(float[] st, int ci, int units, int[] base, int[] cStride, float[] v, int ld) {
        int r2 = 2 * rl;
        for (int ch = 0; ch < ci; ch++) {
            int vc = ch * ld;
            int planeStep = ci * ld;
            for (int q = 0; q < units; q++) {
                int b0 = base[q] + ch * cStride[q];
                int j0 = vc + q * tW;
                for (int t = 0; t < tW; t += L) {
                    int e0 = b0 + t;
                    // patch rows 0..3 at half-rows E (columns 0, 2) and O (columns 1, 3)
                    FloatVector a0 = FloatVector.fromArray(S, st, e0);
                    FloatVector a1 = FloatVector.fromArray(S, st, e0 + rl);
                    FloatVector a2 = FloatVector.fromArray(S, st, e0 + 1);
                    FloatVector a3 = FloatVector.fromArray(S, st, e0 + rl + 1);
                    FloatVector b0v = FloatVector.fromArray(S, st, e0 + r2);
                    FloatVector b1 = FloatVector.fromArray(S, st, e0 + r2 + rl);
                    FloatVector b2 = FloatVector.fromArray(S, st, e0 + r2 + 1);
                    FloatVector b3 = FloatVector.fromArray(S, st, e0 + r2 + rl + 1);
                    FloatVector c0 = FloatVector.fromArray(S, st, e0 + 2 * r2);
                    FloatVector c1 = FloatVector.fromArray(S, st, e0 + 2 * r2 + rl);
                    FloatVector c2 = FloatVector.fromArray(S, st, e0 + 2 * r2 + 1);
                    FloatVector c3 = FloatVector.fromArray(S, st, e0 + 2 * r2 + rl + 1);
                    FloatVector d0 = FloatVector.fromArray(S, st, e0 + 3 * r2);
                    FloatVector d1 = FloatVector.fromArray(S, st, e0 + 3 * r2 + rl);
                    FloatVector d2 = FloatVector.fromArray(S, st, e0 + 3 * r2 + 1);
                    FloatVector d3 = FloatVector.fromArray(S, st, e0 + 3 * r2 + rl + 1);
                    int dst = j0 + t;
                    // B^T on the rows: (r0 - r2, r1 + r2, r2 - r1, r1 - r3), then B on the columns of each
                    rowInput(a0.sub(c0), a1.sub(c1), a2.sub(c2), a3.sub(c3), v, dst, planeStep);
                    rowInput(b0v.add(c0), b1.add(c1), b2.add(c2), b3.add(c3), v, dst + 4 * planeStep, planeStep);
                    rowInput(c0.sub(b0v), c1.sub(b1), c2.sub(b2), c3.sub(b3), v, dst + 8 * planeStep, planeStep);
                    rowInput(b0v.sub(d0), b1.sub(d1), b2.sub(d2), b3.sub(d3), v, dst + 12 * planeStep, planeStep);
                }
            }
        }
    }

    /** One row of {@code B^T d B} from one row {@code (x0, x1, x2, x3)} of {@code B^T d}: positions 4i .. 4i + 3. */
    private static void rowInput(FloatVector x0, FloatVector x1, FloatVector x2, FloatVector x3, float[] v, int dst,
            int planeStep) {
        x0.sub(x2).intoArray(v, dst);
        x1.add(x2).intoArray(v, dst + planeStep);
        x2.sub(x1).intoArray(v, dst + 2 * planeStep);
        x1.sub(x3).intoArray(v, dst + 3 * planeStep);
    }

    /**
     * {@code Y = A^T M A} for every output channel and tile of the block, plus the bias; even and odd
     * output columns of each output row are interleaved in a heap row, which goes into {@code db} with
     * one absolute bulk put (rows past the map's height are dropped).
     */
    private void transformOutput(float[] m, int co, int coPad, int u0, int units, int ld, FloatBuffer db, float[] bias) {
        float[] tr = HeapBuffers.floats(BLOCK, 4, 4 * tWv);
        float[] row = HeapBuffers.floats(BLOCK, 5, 2 * tWv);
        int planeStep = coPad * ld;
        for (int oc = 0; oc < co; oc++) {
            FloatVector bv = FloatVector.broadcast(S, bias != null ? bias[oc] : 0f);
            for (int q = 0; q < units; q++) {
                int j0 = oc * ld + q * tW;
                for (int t = 0; t < tW; t += L) {
                    int src = j0 + t;
                    // A^T on the rows: p0 = m0 + m1 + m2, p1 = m1 - m2 - m3 (rows of M), per column
                    FloatVector m00 = FloatVector.fromArray(S, m, src);
                    FloatVector m01 = FloatVector.fromArray(S, m, src + planeStep);
                    FloatVector m02 = FloatVector.fromArray(S, m, src + 2 * planeStep);
                    FloatVector m03 = FloatVector.fromArray(S, m, src + 3 * planeStep);
                    FloatVector m10 = FloatVector.fromArray(S, m, src + 4 * planeStep);
                    FloatVector m11 = FloatVector.fromArray(S, m, src + 5 * planeStep);
                    FloatVector m12 = FloatVector.fromArray(S, m, src + 6 * planeStep);
                    FloatVector m13 = FloatVector.fromArray(S, m, src + 7 * planeStep);
                    FloatVector m20 = FloatVector.fromArray(S, m, src + 8 * planeStep);
                    FloatVector m21 = FloatVector.fromArray(S, m, src + 9 * planeStep);
                    FloatVector m22 = FloatVector.fromArray(S, m, src + 10 * planeStep);
                    FloatVector m23 = FloatVector.fromArray(S, m, src + 11 * planeStep);
                    FloatVector m30 = FloatVector.fromArray(S, m, src + 12 * planeStep);
                    FloatVector m31 = FloatVector.fromArray(S, m, src + 13 * planeStep);
                    FloatVector m32 = FloatVector.fromArray(S, m, src + 14 * planeStep);
                    FloatVector m33 = FloatVector.fromArray(S, m, src + 15 * planeStep);
                    FloatVector p00 = m00.add(m10).add(m20);
                    FloatVector p01 = m01.add(m11).add(m21);
                    FloatVector p02 = m02.add(m12).add(m22);
                    FloatVector p03 = m03.add(m13).add(m23);
                    FloatVector p10 = m10.sub(m20).sub(m30);
                    FloatVector p11 = m11.sub(m21).sub(m31);
                    FloatVector p12 = m12.sub(m22).sub(m32);
                    FloatVector p13 = m13.sub(m23).sub(m33);
                    // A on the columns: y0 = p0 + p1 + p2 (even output column), y1 = p1 - p2 - p3 (odd)
                    p00.add(p01).add(p02).add(bv).intoArray(tr, t);
                    p01.sub(p02).sub(p03).add(bv).intoArray(tr, tWv + t);
                    p10.add(p11).add(p12).add(bv).intoArray(tr, 2 * tWv + t);
                    p11.sub(p12).sub(p13).add(bv).intoArray(tr, 3 * tWv + t);
                }
                int s = (u0 + q) / tH;
                int r = (u0 + q) % tH;
                for (int a = 0; a < 2 && 2 * r + a < h; a++) {
                    int even = 2 * a * tWv;
                    int odd = even + tWv;
                    for (int t = 0; t < tW; t++) {
                        row[2 * t] = tr[even + t];
                        row[2 * t + 1] = tr[odd + t];
                    }
                    db.put(((s * co + oc) * h + 2 * r + a) * w, row, 0, w);
                }
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Copies the first {@code len} elements of {@code a} (c-order) into {@code dst}. */
    private static void read(INDArray a, float[] dst, int len) {
        FloatBuffer fb = StridedCopy.floats(a);
        if (fb == null) {
            a = a.dup('c');
            fb = StridedCopy.floats(a);
        }
        fb.get((int) a.offset(), dst, 0, len);
    }
}
