package org.selfsup4j.core.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
 *       into rows that go straight into the off-heap output (one absolute bulk put per channel and run
 *       of rows of one sample).</li>
 * </ol>
 * <b>Input gradient</b>: the same routine on the output gradient with the flipped, transposed kernel
 * {@code w'[c][o][i][j] = w[o][c][2-i][2-j]} (the input gradient of a stride-1 "same" 3x3
 * cross-correlation is such a cross-correlation). <b>Weight gradient</b> (float32): the direct path's
 * implicit 3x3 weight gradient ({@link DirectConv#weightGradient}); a Winograd weight gradient would
 * need the transformed input again and an adjoint product per position, left for a later round.
 *
 * <p><b>Float64</b> (the finite-difference checks) runs {@link WinogradDouble}, the scalar textbook
 * version of the same algorithm; float64 layers take this class only under
 * {@code -Dselfsup4j.conv=winograd} ({@link ConvAlgorithm}), so the default float64 numerics are
 * those of the direct path.
 *
 * <p><b>Determinism</b>: the batch is cut into {@link #chunks} fixed chunks of whole samples (a function
 * of the geometry only) run through {@link Parallel}; every output value is computed by one chunk
 * with one fixed order of operations, and the weight gradient is the direct path's chunk-ordered sum,
 * so results are bit-identical for any thread count.
 *
 * <p><b>Dispatch</b> ({@link #applies}): {@link ConvAlgorithm} = {@code auto} (default:
 * float32 3x3 stride-1 padding-1 layers with at least {@value #MIN_SIZE} rows and columns, at least
 * {@value #MIN_CHANNELS} input channels and at most {@value #MAX_CHANNELS} channels), {@code direct} (never), {@code winograd} (every 3x3 stride-1
 * padding-1 layer, float64 included). Only loaded when the JVM has {@code jdk.incubator.vector}
 * ({@link DirectConv#AVAILABLE}); without it every layer keeps the direct path.
 */
final class WinogradConv {
    /** Smallest height and width that {@code auto} sends here (smaller maps: see benchmarks/README.md). */
    static final int MIN_SIZE = 8;
    /**
     * Fewest input channels that {@code auto} sends here: the transforms cost about 50 operations per
     * tile and channel whatever the width, the saved products 20 per output channel, so narrow layers
     * gain little; with 32 channels (ResNet-18/2's 32x32 stage) the two-thread layer time was 0.55-0.94x
     * the direct path's under load (benchmarks/README.md), with 64 and more it was at least even.
     */
    static final int MIN_CHANNELS = 64;
    /**
     * Most input and output channels that {@code auto} sends here: the transformed kernels of a
     * 256 x 256 layer (16 x 256 x 256 floats, 4 MB) exceed the L2 cache and are read again for every
     * block of tiles; such layers (full-width ResNet-18's 8x8 stage, ResNet-18/2's 12x12 at 96x96 inputs)
     * were 0.62-0.86x the direct path under load.
     */
    static final int MAX_CHANNELS = 128;
    /** Most chunks of a batch (as {@link DirectConv#MAX_CHUNKS}). */
    static final int MAX_CHUNKS = 8;

    private static final int P = WinogradTransforms.POSITIONS;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Lane i of the pair (a, b) as lane {@code src(i)} of their concatenation: {@code kind} 0 the even
     * lanes of a then of b, 1 the odd ones, 2 (a0, b0, a1, b1, ...) of their first halves, 3 of their
     * second halves. As one single-vector shuffle of each plus a blend: JDK 17 does not compile the
     * two-vector {@code rearrange(shuffle, vector)} to vector instructions (it rebuilds the shuffle per
     * call, 20 % of a profile), the single-vector one and the blend it does.
     */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] PAIR_SHUFFLES = new VectorShuffle[4];
    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] PAIR_MASKS = new VectorMask[4];

    static {
        // lane i of kind k comes from lane pairSource(k, i) of the concatenation (a, b): the shuffle
        // takes its position within a vector, the mask whether it lies in b
        for (int kind = 0; kind < 4; kind++) {
            int[] idx = new int[L];
            boolean[] second = new boolean[L];
            for (int i = 0; i < L; i++) {
                int source = pairSource(kind, i);
                idx[i] = source % L;
                second[i] = source >= L;
            }
            PAIR_SHUFFLES[kind] = VectorShuffle.fromArray(S, idx, 0);
            PAIR_MASKS[kind] = VectorMask.fromArray(S, second, 0);
        }
    }
    /** Floats between consecutive positions' matrices beyond their size (three cache lines). */
    private static final int SKEW = 48;

    /** Per calling thread: 0 transformed kernels in row panels. */
    private static final ThreadLocal<float[][]> STAGING = HeapBuffers.floatSlots(1);
    /** Per chunk thread: 0 staged input rows, 1 V, 2 M, 3 raw input rows, 4 output rows. */
    private static final ThreadLocal<float[][]> BLOCK = HeapBuffers.floatSlots(5);
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
     * sizes within int indexing, and {@link ConvAlgorithm}: {@code direct} never, {@code winograd} always,
     * {@code auto} for float32 with the Vector API on maps of at least {@value #MIN_SIZE} x
     * {@value #MIN_SIZE} with {@value #MIN_CHANNELS} to {@value #MAX_CHANNELS} channels.
     */
    static boolean applies(DataType dtype, int c, int o, int kH, int kW, int sH, int sW, int pH, int pW, long n, long h,
            long w) {
        String m = ConvAlgorithm.get();
        if (ConvAlgorithm.DIRECT.equals(m) || kH != 3 || kW != 3 || sH != 1 || sW != 1 || pH != 1 || pW != 1 || !StridedCopy.cpu()) {
            return false;
        }
        long big = Integer.MAX_VALUE / 4;
        if (n * Math.max(c, o) * (h + 4) * (w + 2 * L) >= big) {
            return false;
        }
        boolean float32 = dtype == DataType.FLOAT && DirectConv.applies(dtype, n, c, o, h, w, h, w, 9L * c);
        if (ConvAlgorithm.WINOGRAD.equals(m)) {
            return float32 || dtype == DataType.DOUBLE;
        }
        return float32 && h >= MIN_SIZE && w >= MIN_SIZE && c >= MIN_CHANNELS && Math.max(c, o) <= MAX_CHANNELS;
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
        DirectConv.read(w4, wt, o * c * 9);
        if (b != null) {
            DirectConv.read(bias, b, o);
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
        // positions xi of V and M lie vStep / mStep apart: sizes padded off powers of two, so that the
        // 16 streams of a transform do not map to one set of the L1 cache (16 KiB apart at 32 channels)
        int vStep = ci * ld + SKEW;
        int mStep = coPad * ld + SKEW;
        float[] v = HeapBuffers.floats(BLOCK, 1, P * vStep);
        transformInput(staged, ci, units, base, cStride, v, ld, vStep);
        float[] m = HeapBuffers.floats(BLOCK, 2, P * mStep);
        int[] offs = ints[0];
        for (int l = 0; l < ci; l++) {
            offs[l] = l * ld;
        }
        int mr = ConvVectorKernels.MR;
        for (int xi = 0; xi < P; xi++) {
            // M[xi] [coPad, nCols] = U[xi] [coPad, ci] . V[xi] [ci, nCols]
            ConvVectorKernels.gemmOffsetB(uP, xi * coPad * ci, ci * mr, v, xi * vStep, offs, m, xi * mStep, ld, coPad, nCols,
                    ci);
        }
        transformOutput(m, co, u0, units, ld, mStep, db, bias);
    }

    private static int pairSource(int kind, int i) {
        return kind < 2 ? 2 * i + kind : (kind == 2 ? 0 : L / 2) + i / 2 + (i % 2 == 0 ? 0 : L);
    }

    /** Lanes of the pair (a, b) as {@link #PAIR_SHUFFLES} kind {@code kind} says. */
    private static FloatVector pair(FloatVector a, FloatVector b, int kind) {
        VectorShuffle<Float> sh = PAIR_SHUFFLES[kind];
        return a.rearrange(sh).blend(b.rearrange(sh), PAIR_MASKS[kind]);
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
        float[] raw = HeapBuffers.floats(BLOCK, 3, Math.min(h, 2 * units + 2) * w + 2 * L);
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
            // staged row y is input row 2 ra + y - 1: the valid ones are one contiguous run of each plane
            int iy0 = Math.max(0, 2 * ra - 1);
            int iy1 = Math.min(h, 2 * ra + rows - 1);
            for (int ch = 0; ch < ci; ch++) {
                if (iy1 > iy0) {
                    sb.get(s0 + ((s * ci + ch) * h + iy0) * w, raw, 0, (iy1 - iy0) * w);
                }
                for (int y = 0; y < rows; y++) {
                    int row = at + ch * stride + y * 2 * rl;
                    int iy = 2 * ra + y - 1;
                    if (iy < iy0 || iy >= iy1) {
                        Arrays.fill(st, row, row + 2 * rl, 0f);
                        continue;
                    }
                    int src = (iy - iy0) * w;
                    // padded column x + 1: odd input columns land in E[1 ..], even ones in O[0 ..]; zeros around
                    st[row] = 0f;
                    // two raw vectors split into their even and odd lanes; what lands past the row's values
                    // (read past the raw row) is zeroed after
                    for (int x = 0; x < w; x += 2 * L) {
                        FloatVector lo = FloatVector.fromArray(S, raw, src + x);
                        FloatVector hi = FloatVector.fromArray(S, raw, src + x + L);
                        pair(lo, hi, 1).intoArray(st, row + 1 + x / 2);
                        pair(lo, hi, 0).intoArray(st, row + rl + x / 2);
                    }
                    Arrays.fill(st, row + 1 + w / 2, row + rl, 0f);
                    Arrays.fill(st, row + rl + (w + 1) / 2, row + 2 * rl, 0f);
                }
            }
            at += ci * stride;
            q += run;
        }
        return st;
    }

    /**
     * {@code V[xi][ch][q * tW + t] = (B^T d B)[xi]} for every channel, unit q and tile t, a vector of
     * {@code L} tiles at a time. The lanes past a tile row's last tile write into the next unit's
     * columns (which that unit overwrites later) or past the block's tiles (never read as results).
     */
    private void transformInput(float[] st, int ci, int units, int[] base, int[] cStride, float[] v, int ld, int step) {
        int r2 = 2 * rl;
        for (int ch = 0; ch < ci; ch++) {
            for (int q = 0; q < units; q++) {
                int b0 = base[q] + ch * cStride[q];
                int j0 = ch * ld + q * tW;
                for (int t = 0; t < tW; t += L) {
                    int r0 = b0 + t;
                    int dst = j0 + t;
                    // B^T on the patch rows: (r0 - r2, r1 + r2, r2 - r1, r1 - r3); B on the columns inside
                    inputRow(st, r0, r0 + 2 * r2, false, rl, v, dst, step);
                    inputRow(st, r0 + r2, r0 + 2 * r2, true, rl, v, dst + 4 * step, step);
                    inputRow(st, r0 + 2 * r2, r0 + r2, false, rl, v, dst + 8 * step, step);
                    inputRow(st, r0 + r2, r0 + 3 * r2, false, rl, v, dst + 12 * step, step);
                }
            }
        }
    }

    /**
     * One row of {@code B^T d B} (positions {@code dst + {0, 1, 2, 3} * step}) from the row
     * {@code x = row a (+ or -) row b} of {@code B^T d}, the rows given as staged half-rows (E at
     * {@code a}, O at {@code a + rl}): columns {@code x0 = E[t], x1 = O[t], x2 = E[t+1], x3 = O[t+1]}.
     * A method of arrays and ints (no vector parameters, which C2 boxes when it does not inline).
     */
    private static void inputRow(float[] st, int a, int b, boolean plus, int rl, float[] v, int dst, int step) {
        FloatVector x0 = FloatVector.fromArray(S, st, a);
        FloatVector x1 = FloatVector.fromArray(S, st, a + rl);
        FloatVector x2 = FloatVector.fromArray(S, st, a + 1);
        FloatVector x3 = FloatVector.fromArray(S, st, a + rl + 1);
        FloatVector y0 = FloatVector.fromArray(S, st, b);
        FloatVector y1 = FloatVector.fromArray(S, st, b + rl);
        FloatVector y2 = FloatVector.fromArray(S, st, b + 1);
        FloatVector y3 = FloatVector.fromArray(S, st, b + rl + 1);
        if (plus) {
            x0 = x0.add(y0);
            x1 = x1.add(y1);
            x2 = x2.add(y2);
            x3 = x3.add(y3);
        } else {
            x0 = x0.sub(y0);
            x1 = x1.sub(y1);
            x2 = x2.sub(y2);
            x3 = x3.sub(y3);
        }
        x0.sub(x2).intoArray(v, dst);
        x1.add(x2).intoArray(v, dst + step);
        x2.sub(x1).intoArray(v, dst + 2 * step);
        x1.sub(x3).intoArray(v, dst + 3 * step);
    }

    /**
     * {@code Y = A^T M A} for every output channel and tile of the block, plus the bias; even and odd
     * output columns are interleaved into the rows of a heap plane per run of tile rows of one sample,
     * which goes into {@code db} with one absolute bulk put (rows past the map's height are dropped).
     */
    private void transformOutput(float[] m, int co, int u0, int units, int ld, int planeStep, FloatBuffer db, float[] bias) {
        float[] plane = HeapBuffers.floats(BLOCK, 4, (2 * units + 2) * w + 2 * tWv);
        for (int oc = 0; oc < co; oc++) {
            float bo = bias != null ? bias[oc] : 0f;
            for (int q = 0; q < units; ) {
                int s = (u0 + q) / tH;
                int ra = (u0 + q) % tH;
                int run = Math.min(units - q, tH - ra);
                for (int k = 0; k < run; k++) {
                    int j0 = oc * ld + (q + k) * tW;
                    // output row 2k + a, whole vectors of tiles zipped into (even, odd) column pairs; what a
                    // row writes past its end is the next row's start, written after it
                    for (int a = 0; a < 2; a++) {
                        for (int t = 0; t < tW; t += L) {
                            // A^T on the rows of M (rows 0 + 1 + 2, or 1 - 2 - 3), A on the columns inside
                            outputRow(m, j0 + t + 4 * a * planeStep, planeStep, a == 1, bo, plane, (2 * k + a) * w + 2 * t);
                        }
                    }
                }
                int rows = Math.min(2 * run, h - 2 * ra);
                db.put(((s * co + oc) * h + 2 * ra) * w, plane, 0, rows * w);
                q += run;
            }
        }
    }

    /**
     * One row of {@code Y = A^T M A} plus {@code bias}: with {@code p_j = M[0][j] + M[1][j] + M[2][j]}
     * (row 0; {@code second}: {@code M[1][j] - M[2][j] - M[3][j]}, with {@code src} at row 1), the even
     * output columns {@code p0 + p1 + p2} and the odd ones {@code p1 - p2 - p3} of a vector of tiles,
     * interleaved, go to {@code dst[d ..]} (two vectors). Position {@code (i, j)} of M is at
     * {@code src + (4 i + j) * step}.
     */
    private static void outputRow(float[] m, int src, int step, boolean second, float bias, float[] dst, int d) {
        int r1 = src + 4 * step;
        int r2 = src + 8 * step;
        FloatVector p0 = FloatVector.fromArray(S, m, src);
        FloatVector p1 = FloatVector.fromArray(S, m, src + step);
        FloatVector p2 = FloatVector.fromArray(S, m, src + 2 * step);
        FloatVector p3 = FloatVector.fromArray(S, m, src + 3 * step);
        if (second) {
            p0 = p0.sub(FloatVector.fromArray(S, m, r1)).sub(FloatVector.fromArray(S, m, r2));
            p1 = p1.sub(FloatVector.fromArray(S, m, r1 + step)).sub(FloatVector.fromArray(S, m, r2 + step));
            p2 = p2.sub(FloatVector.fromArray(S, m, r1 + 2 * step)).sub(FloatVector.fromArray(S, m, r2 + 2 * step));
            p3 = p3.sub(FloatVector.fromArray(S, m, r1 + 3 * step)).sub(FloatVector.fromArray(S, m, r2 + 3 * step));
        } else {
            p0 = p0.add(FloatVector.fromArray(S, m, r1)).add(FloatVector.fromArray(S, m, r2));
            p1 = p1.add(FloatVector.fromArray(S, m, r1 + step)).add(FloatVector.fromArray(S, m, r2 + step));
            p2 = p2.add(FloatVector.fromArray(S, m, r1 + 2 * step)).add(FloatVector.fromArray(S, m, r2 + 2 * step));
            p3 = p3.add(FloatVector.fromArray(S, m, r1 + 3 * step)).add(FloatVector.fromArray(S, m, r2 + 3 * step));
        }
        FloatVector even = p0.add(p1).add(p2).add(bias);
        FloatVector odd = p1.sub(p2).sub(p3).add(bias);
        pair(even, odd, 2).intoArray(dst, d);
        pair(even, odd, 3).intoArray(dst, d + L);
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
