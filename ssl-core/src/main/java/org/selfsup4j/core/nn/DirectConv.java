package org.selfsup4j.core.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 convolution of {@link ConvCore} on the Java heap: the input is copied to the heap once,
 * the batch is cut into blocks of about {@value #BLOCK_PIXELS} output pixels (whole output rows,
 * possibly spanning samples), and for each block a small column matrix {@code [K, block]} is built
 * in cache and multiplied with {@link ConvVectorKernels#gemm}: forward {@code W . col}, weight
 * gradient {@code col . gY^T}, column gradient {@code W^T . gY}, the latter summed straight back onto
 * the heap input gradient. The output and the input gradient leave the heap with one bulk copy each.
 *
 * <p>Why: the im2col + OpenBLAS path moved every column through memory three times (build, GEMM,
 * col2im), paid libnd4j/OpenMP per-call overheads (a tiny network's step was mostly that), and its
 * skinny GEMMs (32-256 output channels) ran at 50-100 GFLOP/s on two cores; the Vector API kernel
 * runs 100+ GFLOP/s on one (benchmarks/PERF.md).
 *
 * <p>Two fixed shards (the two halves of the batch) run on two threads when
 * {@value #THREADS_PROPERTY} allows (default: 2 where the machine has 2 or more processors). Each
 * shard sums its weight and bias gradients in block order, and the shards are added in shard
 * order, so results are bit-identical whatever the thread count.
 */
final class DirectConv {
    /** Whether the JVM has the Vector API (and {@code selfsup4j.directConv} is not {@code false}). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("selfsup4j.directConv"));
    /** System property: threads for the two shards (1 or 2). */
    static final String THREADS_PROPERTY = "selfsup4j.convThreads";
    /** Output pixels per block: the column block of the widest ResNet layer (K = 2304) stays in L2. */
    static final int BLOCK_PIXELS = 256;
    private static final int SHARDS = 2;

    /** Tests switch the path off to exercise the im2col + GEMM fallback, or force one thread. */
    static volatile boolean enabled = AVAILABLE;
    static volatile int threads = Math.max(1, Math.min(SHARDS,
            Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors())));

    private static final ThreadLocal<float[][]> STAGING = ThreadLocal.withInitial(() -> new float[2][0]);
    private static final ThreadLocal<float[][]> BLOCK = ThreadLocal.withInitial(() -> new float[4][0]);
    private static volatile ExecutorService pool;

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
    /** First valid and one-past-last valid output column per kernel column j. */
    private final int[] owLo;
    private final int[] owHi;
    private final float[] x;
    private final float[] wt;
    private final float[] b;
    private final float[][] gwShard;   // [shard][K*O], transposed weight gradient partials
    private final double[][] gbShard;  // [shard][O]
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
        x = new float[n * c * h * w];
        wt = new float[o * k];
        b = hasBias ? new float[o] : null;
        gwShard = new float[SHARDS][k * o];
        gbShard = new double[SHARDS][o];
        out = Nd4j.create(DataType.FLOAT, n, o, oH, oW);
        gIn = Nd4j.create(DataType.FLOAT, n, c, h, w);
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
        long t0 = PhaseTimer.start();
        read(xIn, x, n * c * h * w);
        read(w4, wt, o * k);
        if (b != null) {
            read(bias, b, o);
        }
        float[] stage = staging(0, n * o * oH * oW);
        PhaseTimer.stop("conv.fwd.copyIn", t0);
        t0 = PhaseTimer.start();
        runShards(shard -> forwardShard(shard, stage));
        PhaseTimer.stop("conv.fwd.blocks", t0);
        t0 = PhaseTimer.start();
        StridedCopy.floats(out).put(0, stage, 0, n * o * oH * oW);
        PhaseTimer.stop("conv.fwd.copyOut", t0);
        return out;
    }

    /** Adds the parameter gradients into {@code gw4}/{@code gBias} and returns the input gradient. */
    INDArray backward(INDArray gradOut, INDArray gw4, INDArray gBias) {
        long t0 = PhaseTimer.start();
        float[] gy = staging(0, n * o * oH * oW);
        read(gradOut, gy, n * o * oH * oW);
        float[] gx = staging(1, n * c * h * w);
        PhaseTimer.stop("conv.bwd.copyIn", t0);
        t0 = PhaseTimer.start();
        runShards(shard -> backwardShard(shard, gy, gx));
        PhaseTimer.stop("conv.bwd.blocks", t0);
        t0 = PhaseTimer.start();
        StridedCopy.floats(gIn).put(0, gx, 0, n * c * h * w);
        // gw4 is [O, C, kH, kW] = [O, K]; the shards hold [K, O]
        float[] gw = new float[o * k];
        read(gw4, gw, o * k);
        for (int oo = 0; oo < o; oo++) {
            for (int kk = 0; kk < k; kk++) {
                float s = gwShard[0][kk * o + oo];
                for (int sh = 1; sh < SHARDS; sh++) {
                    s += gwShard[sh][kk * o + oo];
                }
                gw[oo * k + kk] += s;
            }
        }
        write(gw4, gw, o * k);
        if (gBias != null) {
            float[] gb = new float[o];
            read(gBias, gb, o);
            for (int oo = 0; oo < o; oo++) {
                double s = 0;
                for (int sh = 0; sh < SHARDS; sh++) {
                    s += gbShard[sh][oo];
                }
                gb[oo] += (float) s;
            }
            write(gBias, gb, o);
        }
        PhaseTimer.stop("conv.bwd.copyOut", t0);
        return gIn;
    }

    // ---- shards and blocks ----

    private interface ShardTask {
        void run(int shard);
    }

    private void runShards(ShardTask task) {
        if (threads < 2 || n < 2) {
            for (int s = 0; s < SHARDS; s++) {
                task.run(s);
            }
            return;
        }
        Future<?> second = pool().submit(() -> task.run(1));
        Throwable failure = null;
        try {
            task.run(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            second.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DirectConv: interrupted while waiting for the second shard", e);
        } catch (ExecutionException e) {
            failure = failure != null ? failure : e.getCause();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (DirectConv.class) {
                p = pool;
                if (p == null) {
                    p = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "selfsup4j-conv");
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Samples [first, last) of a shard: the batch split in halves. */
    private int shardStart(int shard) {
        return (int) ((long) n * shard / SHARDS);
    }

    private void forwardShard(int shard, float[] stage) {
        int r0 = shardStart(shard) * oH;
        int rEnd = shardStart(shard + 1) * oH;
        int maxLd = padded(rowsPerBlock * oW);
        float[] col = block(0, k * maxLd);
        float[] y = block(1, o * maxLd);
        for (int r = r0; r < rEnd; r += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, rEnd - r);
            int ld = padded(rows * oW);
            im2col(r, rows, ld, col);
            ConvVectorKernels.gemm(wt, 0, k, 1, col, 0, ld, y, 0, ld, o, ld, k, false);
            for (int q = 0; q < rows; q++) {
                int sample = (r + q) / oH;
                int oh = (r + q) % oH;
                for (int oo = 0; oo < o; oo++) {
                    int src = oo * ld + q * oW;
                    int dst = ((sample * o + oo) * oH + oh) * oW;
                    float bo = b == null ? 0f : b[oo];
                    for (int ow = 0; ow < oW; ow++) {
                        stage[dst + ow] = y[src + ow] + bo;
                    }
                }
            }
        }
    }

    private void backwardShard(int shard, float[] gy, float[] gx) {
        int n0 = shardStart(shard);
        int n1 = shardStart(shard + 1);
        Arrays.fill(gx, n0 * c * h * w, n1 * c * h * w, 0f);
        float[] gw = gwShard[shard];
        double[] gb = gbShard[shard];
        Arrays.fill(gw, 0f);
        Arrays.fill(gb, 0);
        int r0 = n0 * oH;
        int rEnd = n1 * oH;
        int maxLd = padded(rowsPerBlock * oW);
        float[] col = block(0, k * maxLd);
        float[] gyb = block(1, o * maxLd);
        float[] gyt = block(2, o * maxLd);
        float[] gcol = block(3, k * maxLd);
        for (int r = r0; r < rEnd; r += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, rEnd - r);
            int pb = rows * oW;
            int ld = padded(pb);
            // gyb [O, ld] (zero past pb) and its transpose gyt [pb, O]; bias gradient in block order
            for (int q = 0; q < rows; q++) {
                int sample = (r + q) / oH;
                int oh = (r + q) % oH;
                for (int oo = 0; oo < o; oo++) {
                    int src = ((sample * o + oo) * oH + oh) * oW;
                    int dst = oo * ld + q * oW;
                    System.arraycopy(gy, src, gyb, dst, oW);
                }
            }
            for (int oo = 0; oo < o; oo++) {
                double s = 0;
                int row = oo * ld;
                for (int p = 0; p < pb; p++) {
                    float v = gyb[row + p];
                    s += v;
                    gyt[p * o + oo] = v;
                }
                Arrays.fill(gyb, row + pb, row + ld, 0f);
                gb[oo] += s;
            }
            im2col(r, rows, ld, col);
            // dW^T [K, O] += col [K, pb] . gy^T [pb, O]
            ConvVectorKernels.gemm(col, 0, ld, 1, gyt, 0, o, gw, 0, o, k, o, pb, true);
            // gcol [K, ld] = W^T [K, O] . gy [O, ld]
            ConvVectorKernels.gemm(wt, 0, 1, k, gyb, 0, ld, gcol, 0, ld, k, ld, o, false);
            col2im(r, rows, ld, gcol, gx);
        }
    }

    /** Columns per block row: the pixel count rounded up to whole vectors, so products have no scalar tail. */
    private static int padded(int pixels) {
        int l = ConvVectorKernels.lanes();
        return (pixels + l - 1) / l * l;
    }

    /**
     * {@code col[(ci*kH + i)*kW + j][q*oW + ow] = x[sample][ci][oh*sH + i - pH][ow*sW + j - pW]} (0
     * outside the input and in the padding columns {@code [rows*oW, ld)}).
     */
    private void im2col(int r, int rows, int ld, float[] col) {
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int kk = (ci * kH + i) * kW + j;
                    int lo = owLo[j];
                    int hi = owHi[j];
                    Arrays.fill(col, kk * ld + rows * oW, (kk + 1) * ld, 0f);
                    for (int q = 0; q < rows; q++) {
                        int sample = (r + q) / oH;
                        int oh = (r + q) % oH;
                        int dst = kk * ld + q * oW;
                        int ih = oh * sH + i - pH;
                        if (ih < 0 || ih >= h || lo >= hi) {
                            Arrays.fill(col, dst, dst + oW, 0f);
                            continue;
                        }
                        if (lo > 0) {
                            Arrays.fill(col, dst, dst + lo, 0f);
                        }
                        if (hi < oW) {
                            Arrays.fill(col, dst + hi, dst + oW, 0f);
                        }
                        int src = ((sample * c + ci) * h + ih) * w + lo * sW + j - pW;
                        if (sW == 1) {
                            System.arraycopy(x, src, col, dst + lo, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++, src += sW) {
                                col[dst + ow] = x[src];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds the column gradient onto the heap input gradient. */
    private void col2im(int r, int rows, int ld, float[] gcol, float[] gx) {
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int kk = (ci * kH + i) * kW + j;
                    int lo = owLo[j];
                    int hi = owHi[j];
                    for (int q = 0; q < rows; q++) {
                        int sample = (r + q) / oH;
                        int oh = (r + q) % oH;
                        int ih = oh * sH + i - pH;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = kk * ld + q * oW;
                        int dst = ((sample * c + ci) * h + ih) * w + lo * sW + j - pW;
                        if (sW == 1) {
                            for (int ow = lo; ow < hi; ow++) {
                                gx[dst + ow - lo] += gcol[src + ow];
                            }
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

    // ---- memory ----

    private static float[] staging(int which, int len) {
        float[][] s = STAGING.get();
        if (s[which].length < len) {
            s[which] = new float[len];
        }
        return s[which];
    }

    private static float[] block(int which, int len) {
        float[][] s = BLOCK.get();
        if (s[which].length < len) {
            s[which] = new float[len];
        }
        return s[which];
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
