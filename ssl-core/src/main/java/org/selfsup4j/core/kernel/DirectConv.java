package org.selfsup4j.core.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 convolution of {@link ConvCore} on the Java heap: the input is copied (one bulk copy) into a
 * heap staging buffer that all layers of the calling thread share, the batch is cut into blocks of
 * about {@value #BLOCK_PIXELS} output pixels (whole output rows, possibly spanning samples), and for
 * each block a small column matrix {@code [K, block]} is built in cache, in the column panels of
 * {@link ConvVectorKernels}, and multiplied: forward {@code W . col}, weight gradient
 * {@code col . gY^T}, column gradient {@code W^T . gY}, the latter summed straight back onto the heap
 * input gradient. The output and the input gradient leave the heap with one bulk copy each.
 *
 * <p>The layer keeps a reference to its input, not a copy (as {@link org.selfsup4j.core.nn.Linear}):
 * backward copies it to the staging again, so the caller must not modify the input between forward
 * and backward (no block of this library does). A per-layer heap copy cost ~580 MB at 256 images per
 * view on the ResNet.
 *
 * <p>Why: the im2col + OpenBLAS path moved every column through memory three times (build, GEMM,
 * col2im), paid libnd4j/OpenMP per-call overheads (a tiny network's step was mostly that), and its
 * skinny GEMMs (32-256 output channels) ran at 50-100 GFLOP/s on two cores; the Vector API kernel
 * runs 100+ GFLOP/s on one (benchmarks/PERF.md).
 *
 * <p>Threads: the batch is cut into a fixed number of chunks of whole samples ({@link #chunks}: up to
 * {@value #MAX_CHUNKS}, at least one block of output pixels each), run through {@link Parallel}. Each
 * chunk sums its weight and bias gradients in block order into its own partial, and the partials are
 * added in chunk order, so results are bit-identical whatever the thread count.
 *
 * <p>Deliberate twins (issue #12): the column build of the forward (a gather from the staged input
 * into the panels) and the column-gradient scatter of the backward (an add back onto the input
 * gradient) walk the same (channel, kernel row, kernel column) nest with the same clipped column
 * ranges, written out twice: as in {@link ConvKernels}' im2col/col2im and {@link ConvVectorKernels},
 * a body taking the direction as a parameter puts a branch or a call into the innermost copy loop,
 * the trade-off that measured about 20% slower for {@link ConvVectorKernels}' layouts. The kernel
 * geometry ({@code kH, kW, sH, sW, pH, pW}) repeats {@link ConvCore}'s fields on purpose: these loops
 * read it as final fields of this object, not through another one.
 */
final class DirectConv {
    /** Whether the JVM has the Vector API (and {@code selfsup4j.directConv} is not {@code false}). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("selfsup4j.directConv"));
    /** Output pixels per block: the column block of the widest ResNet layer (K = 2304) stays in L2. */
    static final int BLOCK_PIXELS = 256;
    /** Partial-gradient elements below which their chunk-order sum runs on the calling thread. */
    private static final long PARALLEL_SUM_MIN = 1 << 18;
    /**
     * Most chunks of a batch: each keeps a partial weight gradient of {@code K x O} floats (the
     * partials live per calling thread, shared by all layers, so 8 copies of the widest layer's
     * gradient: 19 MB on the ResNet-18/2); 8 keep 8 cores busy and the chunk-order sum of the
     * partials small next to the products.
     */
    static final int MAX_CHUNKS = 8;

    /** Grid positions per block of the implicit path: nine column panels. */
    static final int GRID_BLOCK = 288;

    /** Tests switch the path off to exercise the im2col + GEMM fallback, or force one thread. */
    static volatile boolean enabled = AVAILABLE;
    /** Tests switch the implicit (no column matrix) path off to exercise the column path on the same geometry. */
    static volatile boolean implicitEnabled = !"false".equals(System.getProperty("selfsup4j.implicitConv"));

    /**
     * Per calling thread, shared by all layers: 0 unused, 1 input gradient (column path),
     * 2 input (padded on the implicit path), 3 packed weights, 4 padded output gradient.
     */
    private static final ThreadLocal<float[][]> STAGING = HeapBuffers.floatSlots(5);
    /** Per chunk thread: 0 columns, 1 block output / output gradient panels, 2 transposed output gradient, 3 column gradient, 4 one row. */
    private static final ThreadLocal<float[][]> BLOCK = HeapBuffers.floatSlots(5);
    /** Per chunk thread: the row table of a block ({@link #rowInfo}). */
    private static final ThreadLocal<int[][]> ROWS = ThreadLocal.withInitial(() -> new int[3][0]);
    /** Per calling thread, shared by all layers: the chunks' partial weight and bias gradients. */
    private static final ThreadLocal<float[][]> GW_PARTS = HeapBuffers.floatSlots(MAX_CHUNKS);
    private static final ThreadLocal<double[][]> GB_PARTS = HeapBuffers.doubleSlots(MAX_CHUNKS);

    private final int c;
    private final int o;
    private final int kH;
    private final int kW;
    private final int sH;
    private final int sW;
    private final int pH;
    private final int pW;
    private final int n;
    private final int h;
    private final int w;
    private final int oH;
    private final int oW;
    private final int k;
    private final int rowsPerBlock;
    /** K rounded up to whole register-tile rows; O rounded up to whole tile rows and to whole panels. */
    private final int kPad;
    private final int oPadM;
    private final int oPadN;
    /** First valid and one-past-last valid output column per kernel column j. */
    private final int[] owLo;
    private final int[] owHi;
    /** The last forward's input: read again in backward (as Linear does), not kept on the heap. */
    private INDArray input;
    /** Set during {@link #weightGradient}: backward skips the input gradient (another path computes it). */
    private boolean weightsOnly;
    private final float[] wt;
    private final float[] b;
    /** Chunks of the batch (a function of the geometry only). */
    private final int chunks;
    /**
     * Implicit path (stride 1, "same" padding, wide rows): the input and the output gradient are copied
     * into zero-padded planes {@code [hp][wp]}, and the products read them at tap offsets
     * ({@link ConvVectorKernels#gemmOffsetB}) over a grid of {@code h} rows of {@code wp} positions per
     * sample (the {@code wp - w} positions past each row are computed and dropped). No column matrix in
     * the forward and the input gradient (nor in the weight gradient of 3x3 kernels), no col2im, no clear
     * of the input gradient.
     */
    private final boolean implicit;
    private final int hp;
    private final int wp;
    /** Grid positions per sample, the block length (whole panels), and the zero margin past the padded planes. */
    private final int grid;
    private final int gridLd;
    private final int margin;
    /** Input channels rounded up to whole tile rows (rows of the input-gradient product). */
    private final int cPadM;
    /** Offset of tap (ci, i, j) in the padded input; of tap (o, i, j) of the flipped kernel in the padded output gradient. */
    private final int[] offX;
    private final int[] offG;
    final INDArray out;
    final INDArray gIn;

    DirectConv(int c, int o, int kH, int kW, int sH, int sW, int pH, int pW, int n, int h, int w, int oH, int oW,
            boolean hasBias) {
        this.c = c;
        this.o = o;
        this.kH = kH;
        this.kW = kW;
        this.sH = sH;
        this.sW = sW;
        this.pH = pH;
        this.pW = pW;
        this.n = n;
        this.h = h;
        this.w = w;
        this.oH = oH;
        this.oW = oW;
        this.k = c * kH * kW;
        this.rowsPerBlock = Math.max(1, BLOCK_PIXELS / oW);
        owLo = new int[kW];
        owHi = new int[kW];
        for (int j = 0; j < kW; j++) {
            int lo = 0;
            while (lo < oW && lo * sW + j - pW < 0) {
                lo++;
            }
            int hi = oW;
            while (hi > lo && (hi - 1) * sW + j - pW >= w) {
                hi--;
            }
            owLo[j] = lo;
            owHi[j] = hi;
        }
        int mr = ConvVectorKernels.MR;
        kPad = (k + mr - 1) / mr * mr;
        oPadM = (o + mr - 1) / mr * mr;
        oPadN = (o + ConvVectorKernels.NR - 1) / ConvVectorKernels.NR * ConvVectorKernels.NR;
        wt = new float[o * k];
        b = hasBias ? new float[o] : null;
        chunks = chunks(n, oH, oW);
        out = Nd4j.create(DataType.FLOAT, n, o, oH, oW);
        gIn = Nd4j.create(DataType.FLOAT, n, c, h, w);
        hp = h + 2 * pH;
        wp = w + 2 * pW;
        // at most 1/8 of the products spent on dropped positions (3x3 kernels: rows of 16 and more)
        implicit = implicitEnabled && sH == 1 && sW == 1 && kH == 2 * pH + 1 && kW == 2 * pW + 1
                && (long) (wp - w) * 8 <= w && (long) hp * wp * Math.max(c, o) * n < Integer.MAX_VALUE / 2;
        grid = h * wp;
        int blocks = (grid + GRID_BLOCK - 1) / GRID_BLOCK;
        gridLd = padded((grid + blocks - 1) / blocks);
        margin = 2 * gridLd + wp + 2 * ConvVectorKernels.NR;
        cPadM = (c + mr - 1) / mr * mr;
        offX = new int[k];
        offG = new int[o * kH * kW];
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    offX[(ci * kH + i) * kW + j] = ci * hp * wp + i * wp + j;
                }
            }
        }
        for (int oo = 0; oo < o; oo++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    offG[(oo * kH + i) * kW + j] = oo * hp * wp + (kH - 1 - i) * wp + (kW - 1 - j);
                }
            }
        }
    }

    /** Whether this layer runs the implicit (padded-grid) path. */
    boolean implicitPath() {
        return implicit;
    }

    /**
     * Whether the heap path takes a float32 convolution of these sizes: the Vector API is present,
     * the backend is the CPU, and every heap array stays below 2^31 elements.
     */
    static boolean applies(DataType dtype, long n, long c, long o, long h, long w, long oH, long oW, long k) {
        long big = Integer.MAX_VALUE / 2;
        return enabled && dtype == DataType.FLOAT && StridedCopy.cpu() && n * c * h * w < big
                && n * o * oH * oW < big && k * Math.max(o, BLOCK_PIXELS + oW + 64) < big;
    }

    /** @param xIn [N, C, H, W] float32; w4 [O, C, kH, kW]; bias [O] or null */
    INDArray forward(INDArray xIn, INDArray w4, INDArray bias) {
        input = xIn;
        // the implicit path pads straight from the caller's buffer (no heap copy of the raw input)
        float[] x = implicit ? null : staging(2, n * c * h * w);
        if (!implicit) {
            read(xIn, x, n * c * h * w);
        }
        read(w4, wt, o * k);
        if (b != null) {
            read(bias, b, o);
        }
        // A of the forward product: W [O, K] in row panels [oPadM / MR][K][MR], zero rows past O
        float[] wP = rowPanels(wt, o, oPadM, k, k, 1);
        float[] xp = implicit ? padAll(xIn, c, 2) : null;
        FloatBuffer outBuf = StridedCopy.floats(out);
        // output rows go straight into the off-heap output (no heap stage, no bulk copy out)
        if (implicit) {
            Parallel.forEachChunk(n, chunks, true, (ch, s0, s1) -> forwardImplicit(s0, s1, xp, wP, outBuf));
        } else {
            Parallel.forEachChunk(n, chunks, true, (ch, s0, s1) -> forwardChunk(s0, s1, x, wP, outBuf));
        }
        return out;
    }

    /**
     * Adds the parameter gradients of a forward on {@code xIn} into {@code gw4}/{@code gBias} without
     * computing the input gradient ({@link WinogradConv} computes that one; the sums are those of
     * {@link #backward}).
     */
    void weightGradient(INDArray xIn, INDArray gradOut, INDArray gw4, INDArray gBias) {
        input = xIn;
        weightsOnly = true;
        try {
            backward(gradOut, gw4, gBias);
        } finally {
            weightsOnly = false;
        }
    }

    /** Adds the parameter gradients into {@code gw4}/{@code gBias} and returns the input gradient. */
    INDArray backward(INDArray gradOut, INDArray gw4, INDArray gBias) {
        if (implicit) {
            // input and output gradient padded straight from the off-heap arrays, the input gradient
            // written straight into gIn: no heap copies of the raw arrays
            float[] xp = padAll(input, c, 2);
            float[] gp = padAll(gradOut, o, 4);
            // A of the input-gradient product: rows ci, reduction over the flipped taps (oo, i, j), in row panels
            int mr = ConvVectorKernels.MR;
            int k2 = o * kH * kW;
            float[] wdP = staging(3, cPadM * k2);
            for (int ci = 0; ci < (weightsOnly ? 0 : cPadM); ci++) {
                int dst = ci / mr * k2 * mr + ci % mr;
                for (int oo = 0; oo < o; oo++) {
                    for (int t = 0; t < kH * kW; t++, dst += mr) {
                        wdP[dst] = ci < c ? wt[oo * k + ci * kH * kW + t] : 0f;
                    }
                }
            }
            FloatBuffer gInBuf = StridedCopy.floats(gIn);
            float[][] gw = gwParts();
            double[][] gb = gbParts();
            Parallel.forEachChunk(n, chunks, true,
                    (ch, s0, s1) -> backwardImplicit(s0, s1, xp, gp, wdP, gInBuf, gw[ch], gb[ch]));
            addParameterGradients(gw4, gBias, gw, gb);
            return gIn;
        }
        // output-gradient rows are read straight from the caller's buffer by the blocks (no heap copy)
        INDArray gyDense = StridedCopy.floats(gradOut) != null ? gradOut : gradOut.dup('c');
        FloatBuffer gy = StridedCopy.floats(gyDense);
        int gy0 = (int) gyDense.offset();
        float[] gx = staging(1, n * c * h * w);
        float[] x = staging(2, n * c * h * w);
        read(input, x, n * c * h * w);
        // A of the column-gradient product: W^T [K, O] in row panels [kPad / MR][O][MR], zero rows past K
        float[] wtP = rowPanels(wt, k, kPad, o, 1, k);
        float[][] gw = gwParts();
        double[][] gb = gbParts();
        Parallel.forEachChunk(n, chunks, true, (ch, s0, s1) -> backwardChunk(s0, s1, x, wtP, gy, gy0, gx, gw[ch], gb[ch]));
        if (!weightsOnly) {
            StridedCopy.floats(gIn).put(0, gx, 0, n * c * h * w);
        }
        addParameterGradients(gw4, gBias, gw, gb);
        return gIn;
    }

    /** Adds the chunks' weight and bias gradients, in chunk order, into {@code gw4} and {@code gBias}. */
    private void addParameterGradients(INDArray gw4, INDArray gBias, float[][] gwPart, double[][] gbPart) {
        // gw4 is [O, C, kH, kW] = [O, K]; the chunks hold [K, O]
        float[] gw = staging(3, o * k);
        read(gw4, gw, o * k);
        // rows kk of the partials read in order (the transposed write is the one strided stream); each
        // element's sum runs over the chunks in chunk order whichever thread adds row kk
        Parallel.forEachChunk(k, Parallel.CHUNKS, (long) k * o * chunks >= PARALLEL_SUM_MIN, (part, k0, k1) -> {
            for (int kk = k0; kk < k1; kk++) {
                int src = kk * oPadN;
                for (int oo = 0; oo < o; oo++) {
                    float s = gwPart[0][src + oo];
                    for (int ch = 1; ch < chunks; ch++) {
                        s += gwPart[ch][src + oo];
                    }
                    gw[oo * k + kk] += s;
                }
            }
        });
        write(gw4, gw, o * k);
        if (gBias != null) {
            float[] gb = new float[o];
            read(gBias, gb, o);
            for (int oo = 0; oo < o; oo++) {
                double s = 0;
                for (int ch = 0; ch < chunks; ch++) {
                    s += gbPart[ch][oo];
                }
                gb[oo] += (float) s;
            }
            write(gBias, gb, o);
        }
    }

    // ---- chunks and blocks ----

    /**
     * Chunks of a batch of {@code n} samples with {@code oH x oW} outputs: {@value #MAX_CHUNKS}, fewer
     * where a chunk would get less than one block of output pixels (small late layers, where the
     * partial gradients would cost more than the split saves), never more than samples.
     */
    static int chunks(int n, int oH, int oW) {
        long blocks = (long) n * oH * oW / BLOCK_PIXELS;
        return (int) Math.max(1, Math.min(Math.min(MAX_CHUNKS, n), blocks));
    }

    /** The calling thread's partial weight gradients, each at least {@code kPad * oPadN} floats. */
    private float[][] gwParts() {
        for (int ch = 0; ch < chunks; ch++) {
            HeapBuffers.floats(GW_PARTS, ch, kPad * oPadN);
        }
        return GW_PARTS.get();
    }

    /** The calling thread's partial bias gradients, each at least {@code o} doubles. */
    private double[][] gbParts() {
        for (int ch = 0; ch < chunks; ch++) {
            HeapBuffers.doubles(GB_PARTS, ch, o);
        }
        return GB_PARTS.get();
    }

    private void forwardChunk(int n0, int n1, float[] x, float[] wP, FloatBuffer dst) {
        int r0 = n0 * oH;
        int rEnd = n1 * oH;
        int maxLd = padded(rowsPerBlock * oW);
        float[] col = block(0, kPad * maxLd);
        float[] y = block(1, oPadM * maxLd);
        float[] row = block(4, maxLd);
        int nr = ConvVectorKernels.NR;
        for (int r = r0; r < rEnd; r += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, rEnd - r);
            int ld = padded(rows * oW);
            im2col(x, r, rows, ld, col, row);
            // y [oPadM, ld] = W . col
            ConvVectorKernels.gemm(wP, 0, k * ConvVectorKernels.MR, col, 0, kPad * nr, y, 0, ld, oPadM, ld, k, false);
            // the block's rows of one sample are one contiguous run per channel, in y and in the output:
            // one absolute bulk put each, straight into the off-heap output (bias added in place)
            for (int q = 0; q < rows; ) {
                int sample = (r + q) / oH;
                int oh = (r + q) % oH;
                int run = Math.min(rows - q, oH - oh);
                for (int oo = 0; oo < o; oo++) {
                    int src = oo * ld + q * oW;
                    if (b != null) {
                        float bo = b[oo];
                        for (int t = src; t < src + run * oW; t++) {
                            y[t] += bo;
                        }
                    }
                    dst.put(((sample * o + oo) * oH + oh) * oW, y, src, run * oW);
                }
                q += run;
            }
        }
    }

    private void backwardChunk(int n0, int n1, float[] x, float[] wtP, FloatBuffer gy, int gy0, float[] gx,
            float[] gw, double[] gb) {
        Arrays.fill(gx, n0 * c * h * w, n1 * c * h * w, 0f);
        Arrays.fill(gw, 0, kPad * oPadN, 0f);
        Arrays.fill(gb, 0, o, 0);
        int r0 = n0 * oH;
        int rEnd = n1 * oH;
        int nr = ConvVectorKernels.NR;
        int maxLd = padded(rowsPerBlock * oW);
        float[] col = block(0, kPad * maxLd);
        float[] gyP = block(1, o * maxLd);
        float[] gyT = block(2, oPadN * maxLd);
        float[] gcol = block(3, kPad * maxLd);
        float[] row = block(4, maxLd);
        for (int r = r0; r < rEnd; r += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, rEnd - r);
            int pb = rows * oW;
            int ld = padded(pb);
            // per output channel: its row of the block (zero past pb), the bias gradient in block order,
            // the row into the column panels gyP [ld / NR][O][NR] and the transposed panels gyT [oPadN / NR][ld][NR]
            for (int oo = 0; oo < oPadN; oo++) {
                if (oo < o) {
                    for (int q = 0; q < rows; ) {
                        int sample = (r + q) / oH;
                        int oh = (r + q) % oH;
                        int run = Math.min(rows - q, oH - oh);
                        gy.get(gy0 + ((sample * o + oo) * oH + oh) * oW, row, q * oW, run * oW);
                        q += run;
                    }
                    Arrays.fill(row, pb, ld, 0f);
                    // bias gradient only where there is a bias: the ResNet's convolutions have none, and this
                    // serial double sum over the whole output gradient was ~1 % of the convolution's samples
                    if (b != null) {
                        double s = 0;
                        for (int p = 0; p < pb; p++) {
                            s += row[p];
                        }
                        gb[oo] += s;
                    }
                    for (int p0 = 0; p0 < ld; p0 += nr) {
                        System.arraycopy(row, p0, gyP, p0 * o + oo * nr, nr);
                    }
                } else {
                    Arrays.fill(row, 0, ld, 0f);
                }
                int t = oo / nr * ld * nr + oo % nr;
                for (int p = 0; p < ld; p++, t += nr) {
                    gyT[t] = row[p];
                }
            }
            im2col(x, r, rows, ld, col, row);
            // dW^T [kPad, oPadN] += col [kPad, ld] . gy^T [ld, oPadN]
            ConvVectorKernels.gemmTransA(col, 0, kPad * nr, gyT, 0, ld * nr, gw, 0, oPadN, kPad, oPadN, ld / nr);
            if (!weightsOnly) {
                // gcol [kPad, ld] = W^T [kPad, O] . gy [O, ld]
                ConvVectorKernels.gemm(wtP, 0, o * ConvVectorKernels.MR, gyP, 0, o * nr, gcol, 0, ld, kPad, ld, o, false);
                col2im(r, rows, ld, gcol, gx);
            }
        }
    }

    // ---- implicit path ----

    /**
     * {@code planes} planes per sample of {@code a} ({@code [n][planes][h][w]}, float32) into zero-padded
     * planes {@code [hp][wp]} in staging slot {@code slot}, plus a zeroed margin that the last blocks read
     * into. Rows are read straight from the host buffer of {@code a} (one absolute bulk get per row: no
     * heap copy of the raw array first). Each chunk pads its own samples; every chunk has finished before
     * the products start.
     */
    private float[] padAll(INDArray a, int planes, int slot) {
        FloatBuffer fb = StridedCopy.floats(a);
        if (fb == null) {
            a = a.dup('c');
            fb = StridedCopy.floats(a);
        }
        FloatBuffer src = fb;
        int src0 = (int) a.offset();
        int total = n * planes * hp * wp;
        float[] dst = staging(slot, total + margin);
        Parallel.forEachChunk(n, chunks, true, (ch, n0, n1) -> {
            for (int pl = n0 * planes; pl < n1 * planes; pl++) {
                int base = pl * hp * wp;
                Arrays.fill(dst, base, base + pH * wp + pW, 0f);
                for (int r = 0; r < h; r++) {
                    int d = base + (r + pH) * wp + pW;
                    src.get(src0 + (pl * h + r) * w, dst, d, w);
                    // right padding of this row and left padding of the next (plain stores: 2 * pW values)
                    for (int t = d + w, e = d + w + (r < h - 1 ? 2 * pW : pW); t < e; t++) {
                        dst[t] = 0f;
                    }
                }
                Arrays.fill(dst, base + (h + pH) * wp, base + hp * wp, 0f);
            }
        });
        Arrays.fill(dst, total, total + margin, 0f);
        return dst;
    }

    private void forwardImplicit(int n0, int n1, float[] xp, float[] wP, FloatBuffer dst) {
        float[] y = block(1, oPadM * gridLd);
        int mr = ConvVectorKernels.MR;
        for (int s = n0; s < n1; s++) {
            for (int p0 = 0; p0 < grid; p0 += gridLd) {
                int len = Math.min(gridLd, grid - p0);
                int ld = padded(len);
                ConvVectorKernels.gemmOffsetB(wP, 0, k * mr, xp, s * c * hp * wp + p0, offX, y, 0, ld, oPadM, ld, k);
                fromGrid(y, ld, o, p0, len, dst, s * o * h * w, b);
            }
        }
    }

    private void backwardImplicit(int n0, int n1, float[] xp, float[] gp, float[] wdP, FloatBuffer gx, float[] gw,
            double[] gb) {
        Arrays.fill(gw, 0, kPad * oPadN, 0f);
        Arrays.fill(gb, 0, o, 0);
        int nr = ConvVectorKernels.NR;
        int mr = ConvVectorKernels.MR;
        int k2 = o * kH * kW;
        boolean taps3x3 = kH == 3 && kW == 3;
        float[] col = taps3x3 ? null : block(0, kPad * gridLd);
        float[] gyT = block(2, oPadN * gridLd);
        float[] gxg = block(3, cPadM * gridLd);
        int plane = hp * wp;
        for (int s = n0; s < n1; s++) {
            int gBase = s * o * plane;
            int xBase = s * c * plane;
            if (b != null) {
                for (int oo = 0; oo < o; oo++) {
                    double sum = 0;
                    for (int t = gBase + oo * plane, e = t + plane; t < e; t++) {
                        sum += gp[t];
                    }
                    gb[oo] += sum;
                }
            }
            for (int p0 = 0; p0 < grid; p0 += gridLd) {
                int len = Math.min(gridLd, grid - p0);
                int ld = padded(len);
                if (!weightsOnly) {
                    // gx on the grid [cPadM, ld] = W' [cPadM, O*kH*kW] . (flipped taps of the padded gy)
                    ConvVectorKernels.gemmOffsetB(wdP, 0, k2 * mr, gp, gBase + p0, offG, gxg, 0, ld, cPadM, ld, k2);
                    fromGrid(gxg, ld, c, p0, len, gx, s * c * h * w, null);
                }
                // gy^T panels [oPadN / NR][ld][NR]: grid position p is padded-plane index pH*wp + pW + p, which
                // is 0 past a row's end (padding); positions past the grid are set to 0 here
                for (int oo = 0; oo < oPadN; oo++) {
                    int t = oo / nr * ld * nr + oo % nr;
                    int p = 0;
                    if (oo < o) {
                        for (int src = gBase + oo * plane + pH * wp + pW + p0; p < len; p++, t += nr) {
                            gyT[t] = gp[src + p];
                        }
                    }
                    for (; p < ld; p++, t += nr) {
                        gyT[t] = 0f;
                    }
                }
                if (taps3x3) {
                    // dW^T [K, oPadN] += X [K, ld] . gy^T [ld, oPadN] with X read straight from the padded input:
                    // no column panels (a copy of nine times the block's input), same sums in the same order
                    ConvVectorKernels.gemmTaps3x3(xp, xBase + p0, plane, wp, c, gyT, 0, ld * nr, gw, 0, oPadN, oPadN, ld);
                    continue;
                }
                // the column panels of this block, straight from the padded input (one panel row per copy)
                for (int kk = 0; kk < kPad; kk++) {
                    if (kk < k) {
                        int src = xBase + p0 + offX[kk];
                        for (int q = 0; q < ld; q += nr) {
                            System.arraycopy(xp, src + q, col, q * kPad + kk * nr, nr);
                        }
                    } else {
                        for (int q = 0; q < ld; q += nr) {
                            Arrays.fill(col, q * kPad + kk * nr, q * kPad + (kk + 1) * nr, 0f);
                        }
                    }
                }
                // dW^T [kPad, oPadN] += col [kPad, ld] . gy^T [ld, oPadN]
                ConvVectorKernels.gemmTransA(col, 0, kPad * nr, gyT, 0, ld * nr, gw, 0, oPadN, kPad, oPadN, ld / nr);
            }
        }
    }

    /**
     * Copies the valid positions (column {@code < w}) of grid positions {@code [p0, p0 + len)} of a
     * {@code [channels, ld]} block into {@code dst[dst0 + (ch * h + row) * w + col]} (absolute bulk puts
     * into the off-heap array; chunks write disjoint samples), adding {@code bias} (in place in the block).
     */
    private void fromGrid(float[] g, int ld, int channels, int p0, int len, FloatBuffer dst, int dst0, float[] bias) {
        int pEnd = p0 + len;
        int row = p0 / wp;
        for (int rowStart = row * wp; rowStart < pEnd; row++, rowStart += wp) {
            int a = Math.max(p0, rowStart);
            int e = Math.min(pEnd, rowStart + w);
            if (a >= e) {
                continue;
            }
            for (int ch = 0; ch < channels; ch++) {
                int src = ch * ld + a - p0;
                int d = dst0 + (ch * h + row) * w + a - rowStart;
                if (bias != null) {
                    float bo = bias[ch];
                    for (int t = src; t < src + e - a; t++) {
                        g[t] += bo;
                    }
                }
                dst.put(d, g, src, e - a);
            }
        }
    }

    /**
     * The matrix {@code M[r][c] = src[r * rowStride + c * colStride]} ({@code rows x cols}) in row panels
     * {@code [rowsPad / MR][cols][MR]} in staging slot 3, rows {@code [rows, rowsPad)} zero: the A operand
     * of the forward ({@code W}) and of the column gradient ({@code W^T}).
     */
    private static float[] rowPanels(float[] src, int rows, int rowsPad, int cols, int rowStride, int colStride) {
        int mr = ConvVectorKernels.MR;
        float[] dst = staging(3, rowsPad * cols);
        for (int r = 0; r < rowsPad; r++) {
            int d = r / mr * cols * mr + r % mr;
            for (int c = 0; c < cols; c++, d += mr) {
                dst[d] = r < rows ? src[r * rowStride + c * colStride] : 0f;
            }
        }
        return dst;
    }

    /** Columns per block: the pixel count rounded up to whole column panels, so products have no tail. */
    private static int padded(int pixels) {
        int nr = ConvVectorKernels.NR;
        return (pixels + nr - 1) / nr * nr;
    }

    /**
     * Per output row {@code q} of a block (rows {@code r + q}): {@code [0]} the offset of its sample in the
     * input, {@code [1]} the input row under kernel row 0 ({@code oh*sH - pH}, may be negative), {@code [2]}
     * where its first column lies in the column panels (without the tap's {@code kk*NR}). Computed once per
     * block: two integer divisions per tap and row were the largest cost of the column build.
     */
    private int[][] rowInfo(int r, int rows) {
        int[][] info = ROWS.get();
        if (info[0].length < rows) {
            info = new int[][] {new int[rows], new int[rows], new int[rows]};
            ROWS.set(info);
        }
        int nr = ConvVectorKernels.NR;
        for (int q = 0; q < rows; q++) {
            int sample = (r + q) / oH;
            int oh = (r + q) % oH;
            int p = q * oW;
            info[0][q] = sample * c * h * w;
            info[1][q] = oh * sH - pH;
            info[2][q] = p / nr * nr * kPad + p % nr;
        }
        return info;
    }

    /**
     * The column matrix of a block in column panels {@code [ld / NR][kPad][NR]}: row
     * {@code (ci*kH + i)*kW + j}, column {@code q*oW + ow} holds
     * {@code x[sample][ci][oh*sH + i - pH][ow*sW + j - pW]} (0 outside the input, in the padding columns
     * {@code [rows*oW, ld)} and in the padding rows {@code [K, kPad)}). Where a panel holds whole output
     * rows ({@code oW} divides {@code NR}) each row goes straight into its panel; otherwise it is
     * assembled in {@code col} (bulk copies along input rows) and then copied into the panels.
     */
    private void im2col(float[] x, int r, int rows, int ld, float[] cp, float[] col) {
        int nr = ConvVectorKernels.NR;
        int[][] info = rowInfo(r, rows);
        int[] qBase = info[0];
        int[] qIh = info[1];
        int[] qDst = info[2];
        for (int kk = k; kk < kPad; kk++) {
            for (int p0 = 0; p0 < ld; p0 += nr) {
                Arrays.fill(cp, p0 * kPad + kk * nr, p0 * kPad + (kk + 1) * nr, 0f);
            }
        }
        boolean direct = nr % oW == 0;
        // stride-1 "same" rows that go straight into the panels: a run of rows is one copy (below)
        boolean runs = direct && sW == 1 && w == oW;
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int kk = (ci * kH + i) * kW + j;
                    int lo = owLo[j];
                    int hi = owHi[j];
                    float[] dstArr = direct ? cp : col;
                    if (direct) {
                        for (int p = rows * oW; p < ld; p++) {
                            cp[p / nr * nr * kPad + kk * nr + p % nr] = 0f;
                        }
                    } else {
                        Arrays.fill(col, rows * oW, ld, 0f);
                    }
                    if (runs) {
                        im2colRuns(x, rows, kk, ci, i, j, cp, qBase, qIh, qDst);
                        continue;
                    }
                    for (int q = 0; q < rows; q++) {
                        int dst = direct ? qDst[q] + kk * nr : q * oW;
                        int ih = qIh[q] + i;
                        if (ih < 0 || ih >= h || lo >= hi) {
                            for (int ow = 0; ow < oW; ow++) {
                                dstArr[dst + ow] = 0f;
                            }
                            continue;
                        }
                        // padding columns: one or two values, plain stores (Arrays.fill per value was 8 % of the time)
                        for (int ow = 0; ow < lo; ow++) {
                            dstArr[dst + ow] = 0f;
                        }
                        for (int ow = hi; ow < oW; ow++) {
                            dstArr[dst + ow] = 0f;
                        }
                        int src = qBase[q] + (ci * h + ih) * w + lo * sW + j - pW;
                        if (sW == 1) {
                            System.arraycopy(x, src, dstArr, dst + lo, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++, src += sW) {
                                dstArr[dst + ow] = x[src];
                            }
                        }
                    }
                    if (!direct) {
                        for (int p0 = 0; p0 < ld; p0 += nr) {
                            System.arraycopy(col, p0, cp, p0 * kPad + kk * nr, nr);
                        }
                    }
                }
            }
        }
    }

    /**
     * Tap {@code kk = (ci, i, j)} of the column panels when rows go straight into the panels and input
     * and output rows have the same length ({@code sW = 1}, {@code w = oW}): consecutive output rows of
     * one sample in one panel read consecutive input rows, so each such run is <em>one</em> copy (the
     * 8x8 and 4x4 layers made one {@code arraycopy} of 3-8 floats per row before), then the one or two
     * columns of each row that fall on the padding are set to zero.
     */
    private void im2colRuns(float[] x, int rows, int kk, int ci, int i, int j, float[] cp, int[] qBase, int[] qIh,
            int[] qDst) {
        int nr = ConvVectorKernels.NR;
        int lo = owLo[j];
        int hi = owHi[j];
        int q = 0;
        while (q < rows) {
            int ih = qIh[q] + i;
            int dst = qDst[q] + kk * nr;
            if (ih < 0 || ih >= h || lo >= hi) {
                for (int ow = 0; ow < oW; ow++) {
                    cp[dst + ow] = 0f;
                }
                q++;
                continue;
            }
            int qb = q + 1;
            while (qb < rows && qBase[qb] == qBase[q] && qDst[qb] == qDst[qb - 1] + oW && qIh[qb] == qIh[qb - 1] + 1
                    && qIh[qb] + i < h) {
                qb++;
            }
            int len = (qb - q) * oW;
            // from the first valid value of the first row to the last valid value of the last row
            int src = qBase[q] + (ci * h + ih) * w + j - pW;
            System.arraycopy(x, src + lo, cp, dst + lo, len - lo - (oW - hi));
            for (int t = dst; t < dst + len; t += oW) {
                for (int ow = 0; ow < lo; ow++) {
                    cp[t + ow] = 0f;
                }
                for (int ow = hi; ow < oW; ow++) {
                    cp[t + ow] = 0f;
                }
            }
            q = qb;
        }
    }

    /** The adjoint of {@link #im2col}: adds the column gradient onto the heap input gradient. */
    private void col2im(int r, int rows, int ld, float[] gcol, float[] gx) {
        int[][] info = rowInfo(r, rows);
        int[] qBase = info[0];
        int[] qIh = info[1];
        // stride-1 "same" rows: a run of rows of one sample is one vector add (as im2colRuns)
        boolean runs = sW == 1 && w == oW;
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int kk = (ci * kH + i) * kW + j;
                    int lo = owLo[j];
                    int hi = owHi[j];
                    if (runs) {
                        col2imRuns(rows, ld, kk, ci, i, j, gcol, gx, qBase, qIh);
                        continue;
                    }
                    for (int q = 0; q < rows; q++) {
                        int ih = qIh[q] + i;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = kk * ld + q * oW;
                        int dst = qBase[q] + (ci * h + ih) * w + lo * sW + j - pW;
                        if (sW == 1 && hi - lo >= 16) {
                            ConvVectorKernels.addInto(gcol, src + lo, gx, dst, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++, dst += sW) {
                                gx[dst] += gcol[src + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Tap {@code kk = (ci, i, j)} of {@link #col2im} for {@code sW = 1}, {@code w = oW}: a run of output
     * rows of one sample adds onto consecutive input rows, so the run is one vector add once the one or
     * two values per row that belong to the padding are zeroed in the (scratch) column gradient; they
     * then add {@code +0} to the neighbouring rows' edge values. Each input value still receives the
     * taps in the same order. Before, rows of 3-8 values were added one scalar loop per row.
     */
    private void col2imRuns(int rows, int ld, int kk, int ci, int i, int j, float[] gcol, float[] gx, int[] qBase,
            int[] qIh) {
        int lo = owLo[j];
        int hi = owHi[j];
        if (lo >= hi) {
            return;
        }
        int q = 0;
        while (q < rows) {
            int ih = qIh[q] + i;
            if (ih < 0 || ih >= h) {
                q++;
                continue;
            }
            int qb = q + 1;
            while (qb < rows && qBase[qb] == qBase[q] && qIh[qb] == qIh[qb - 1] + 1 && qIh[qb] + i < h) {
                qb++;
            }
            int src = kk * ld + q * oW;
            int len = (qb - q) * oW;
            for (int t = src; t < src + len; t += oW) {
                for (int ow = 0; ow < lo; ow++) {
                    gcol[t + ow] = 0f;
                }
                for (int ow = hi; ow < oW; ow++) {
                    gcol[t + ow] = 0f;
                }
            }
            int dst = qBase[q] + (ci * h + ih) * w + j - pW;
            ConvVectorKernels.addInto(gcol, src + lo, gx, dst + lo, len - lo - (oW - hi));
            q = qb;
        }
    }

    // ---- memory ----

    private static float[] staging(int which, int len) {
        return HeapBuffers.floats(STAGING, which, len);
    }

    private static float[] block(int which, int len) {
        return HeapBuffers.floats(BLOCK, which, len);
    }

    /** Copies the first {@code len} elements of {@code a} (c-order) into {@code dst}. */
    static void read(INDArray a, float[] dst, int len) {
        FloatBuffer fb = StridedCopy.floats(a);
        if (fb == null) {
            a = a.dup('c');
            fb = StridedCopy.floats(a);
        }
        fb.get((int) a.offset(), dst, 0, len);
    }

    /** Writes {@code src} over {@code a} (c-order, float32). */
    private static void write(INDArray a, float[] src, int len) {
        FloatBuffer fb = StridedCopy.floats(a);
        if (fb == null) {
            INDArray tmp = Nd4j.create(src, a.shape(), 'c');
            a.assign(tmp);
            return;
        }
        fb.put((int) a.offset(), src, 0, len);
    }
}
