package org.selfsup4j.core.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D cross-correlation on NCHW arrays as im2col + GEMM over chunks of the batch, with per-layer
 * buffers and views prepared once per input shape and column buffers taken from the shared
 * {@link ConvWorkspace}.
 *
 * <p>Why not libnd4j's conv2d/conv2d_bp ops: they allocate their column buffers on every call
 * (measured on 2 vCPUs, 128x16x28x28 -> 32 channels, 3x3: 77 ms forward and 370 ms backward). Nor its
 * im2col op: 17-25 ms into a contiguous buffer, ~200 ms into a strided one. Here the column buffer is
 * laid out {@code [kH, kW, C, n, oH, oW]} so that each kernel tap is one contiguous block, filled by one
 * strided copy from a zero-padded input (5-7 ms for all nine taps), and one GEMM covers a whole chunk
 * (~10 ms); a permuting copy (~1.5 ms) brings the result to NCHW. The backward pass rebuilds the
 * columns (cheaper than keeping them per layer) and scatters the column gradient back tap by tap
 * directly into the strided taps of the padded gradient. Every layout change (padding, taps,
 * NCHW/CNHW permutes, col2im) goes through {@link StridedCopy}: libnd4j's strided assign/addi were
 * most of a small network's step (see benchmarks/PERF.md).
 *
 * <p>3x3 stride-1 padding-1 layers go to {@link WinogradConv} under {@code -Dselfsup4j.conv=auto} where
 * {@link WinogradConv#applies} says so, and under {@code winograd} ({@link ConvAlgorithm}; the default,
 * {@code direct}, keeps them here).
 * Float32 on the CPU with the Vector API module present goes to {@link DirectConv} instead (heap
 * blocks and a Java matrix kernel, no libnd4j call); this im2col + GEMM path serves float64 (the
 * gradient checks), other backends and JVMs without {@code jdk.incubator.vector}.
 */
public final class ConvCore {
    private final int inC;
    private final int outC;
    private final int kH;
    private final int kW;
    private final int sH;
    private final int sW;
    private final int pH;
    private final int pW;
    private final DataType dtype;
    /** Weight and its gradient as [O, C, kH, kW] (views of the owner's parameter arrays). */
    private final INDArray w4;
    private final INDArray gw4;
    private final INDArray bias;
    private final INDArray gBias;

    private Plan plan;
    /** The heap path's state for the last input shape (float32 with the Vector API), else null. */
    private DirectConv direct;
    /** Whether the last forward ran on {@link #direct}. */
    private boolean directLast;
    /** The Winograd path's state for the last input shape (3x3 stride-1 "same" layers), else null. */
    private WinogradConv winograd;
    /** Whether the last forward ran on {@link #winograd}. */
    private boolean winogradLast;
    private boolean ready;

    /**
     * @param inC input channels
     * @param outC output channels
     * @param kH kernel height
     * @param kW kernel width
     * @param sH vertical stride
     * @param sW horizontal stride
     * @param pH zero padding above and below
     * @param pW zero padding left and right
     * @param dtype FLOAT or DOUBLE
     * @param w4 the weight [O, C, kH, kW] (a view of the layer's parameter)
     * @param gw4 its gradient, same shape, accumulated into by {@link #backward}
     * @param bias the bias [O], or null
     * @param gBias its gradient, or null
     */
    public ConvCore(int inC, int outC, int kH, int kW, int sH, int sW, int pH, int pW, DataType dtype,
            INDArray w4, INDArray gw4, INDArray bias, INDArray gBias) {
        this.inC = inC;
        this.outC = outC;
        this.kH = kH;
        this.kW = kW;
        this.sH = sH;
        this.sW = sW;
        this.pH = pH;
        this.pW = pW;
        this.dtype = dtype;
        this.w4 = w4;
        this.gw4 = gw4;
        this.bias = bias;
        this.gBias = gBias;
    }

    /** @param h input height @return output height */
    public long outH(long h) { return (h + 2L * pH - kH) / sH + 1; }

    /** @param w input width @return output width */
    public long outW(long w) { return (w + 2L * pW - kW) / sW + 1; }

    /** Per-layer buffers and views for one input shape. */
    private final class Plan {
        final long n;
        final long h;
        final long w;
        final long oH;
        final long oW;
        final long k;
        final long[] chunkStart;    // chunk c covers samples [chunkStart[c], chunkStart[c + 1])
        final INDArray xpad;        // [N, C, Hp, Wp], zero border
        final INDArray xpadInterior;
        final INDArray[][] xTaps;   // [chunk][tap]: strided views of xpad permuted to [C, n, oH, oW]
        final INDArray out;         // [N, O, oH, oW]
        final INDArray[] outChunks; // [chunk]: out samples viewed as [O, n, oH*oW] (permuted)
        // the padded input gradient lives in a shared workspace slot (only during backward); these
        // views are rebuilt whenever the slot's array was replaced by a larger one
        INDArray gpadSlot;
        INDArray gpad;              // [C, N, Hp, Wp]
        INDArray[][] gpadTaps;      // [chunk][tap]: strided [C, n, oH, oW]
        INDArray gpadInteriorNchw;
        final INDArray gIn;         // [N, C, H, W]
        final INDArray wPerm;       // [O, kH, kW, C]
        final INDArray wPerm2d;     // [O, kH*kW*C]
        final INDArray gWperm;      // [O, kH*kW*C]
        final INDArray gBiasTmp;
        /** Sizes for the host-memory im2col/col2im of {@link ConvKernels}, null where they do not apply. */
        final ConvKernels.Geometry geo;

        Plan(long n, long h, long w) {
            this.n = n;
            this.h = h;
            this.w = w;
            oH = outH(h);
            oW = outW(w);
            k = (long) kH * kW * inC;
            long hp = h + 2L * pH;
            long wp = w + 2L * pW;
            long perSample = oH * oW * (2 * k + outC + inC);
            long maxChunk = Math.max(1, ConvWorkspace.budget / perSample);
            int chunks = (int) ((n + maxChunk - 1) / maxChunk);
            chunkStart = new long[chunks + 1];
            for (int c = 0; c <= chunks; c++) {
                chunkStart[c] = n * c / chunks;
            }
            xpad = Nd4j.create(dtype, n, inC, hp, wp);
            xpadInterior = xpad.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(pH, pH + h), NDArrayIndex.interval(pW, pW + w));
            out = Nd4j.create(dtype, n, outC, oH, oW);
            gIn = Nd4j.create(dtype, n, inC, h, w);
            xTaps = new INDArray[chunks][kH * kW];
            outChunks = new INDArray[chunks];
            INDArray out3 = out.reshape(n, outC, oH * oW);
            for (int c = 0; c < chunks; c++) {
                long n0 = chunkStart[c];
                long n1 = chunkStart[c + 1];
                INDArrayIndex samples = NDArrayIndex.interval(n0, n1);
                outChunks[c] = out3.get(samples, NDArrayIndex.all(), NDArrayIndex.all()).permute(1, 0, 2);
                for (int i = 0; i < kH; i++) {
                    for (int j = 0; j < kW; j++) {
                        int t = i * kW + j;
                        xTaps[c][t] = xpad.get(samples, NDArrayIndex.all(), rows(i), cols(j)).permute(1, 0, 2, 3);
                        checkTap(xTaps[c][t], n1 - n0);
                    }
                }
            }
            wPerm = Nd4j.create(dtype, outC, kH, kW, inC);
            wPerm2d = wPerm.reshape(outC, k);
            gWperm = Nd4j.create(dtype, outC, k);
            gBiasTmp = Nd4j.create(dtype, outC);
            boolean fits = n * inC * hp * wp < Integer.MAX_VALUE / 2 && ConvWorkspace.budget < Integer.MAX_VALUE / 4;
            geo = StridedCopy.cpu() && fits && host(xpad) && host(gIn)
                    ? new ConvKernels.Geometry(inC, (int) h, (int) w, (int) hp, (int) wp, (int) oH, (int) oW, kH, kW, sH,
                            sW, pH, pW)
                    : null;
        }

        /** Points the gradient-pad views at the workspace slot (again, if it was replaced). */
        void bindGradPad() {
            long hp = h + 2L * pH;
            long wp = w + 2L * pW;
            INDArray slot = ConvWorkspace.get(ConvWorkspace.GRAD_PAD, dtype, inC * n * hp * wp);
            if (slot == gpadSlot) {
                return;
            }
            gpadSlot = slot;
            gpad = ConvWorkspace.shaped(ConvWorkspace.GRAD_PAD, dtype, inC, n, hp, wp);
            gpadInteriorNchw = gpad.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(pH, pH + h), NDArrayIndex.interval(pW, pW + w)).permute(1, 0, 2, 3);
            gpadTaps = new INDArray[chunks()][kH * kW];
            for (int c = 0; c < chunks(); c++) {
                INDArrayIndex samples = NDArrayIndex.interval(chunkStart[c], chunkStart[c + 1]);
                for (int i = 0; i < kH; i++) {
                    for (int j = 0; j < kW; j++) {
                        gpadTaps[c][i * kW + j] = gpad.get(NDArrayIndex.all(), samples, rows(i), cols(j));
                        checkTap(gpadTaps[c][i * kW + j], chunkStart[c + 1] - chunkStart[c]);
                    }
                }
            }
        }

        private INDArrayIndex rows(int i) {
            return tapIndex(i, sH, oH);
        }

        private INDArrayIndex cols(int j) {
            return tapIndex(j, sW, oW);
        }

        /**
         * Positions {@code start, start + stride, ...} ({@code count} of them). A single position is
         * indexed without a stride: M2.1's strided interval of one element comes out two long when the
         * axis extends past it.
         */
        private static INDArrayIndex tapIndex(int start, int stride, long count) {
            if (count == 1) {
                return NDArrayIndex.interval(start, start + 1);
            }
            return NDArrayIndex.interval(start, (long) stride, start + stride * (count - 1) + 1);
        }

        private void checkTap(INDArray tap, long samples) {
            long[] expected = {inC, samples, oH, oW};
            if (!Arrays.equals(tap.shape(), expected)) {
                throw new IllegalStateException("ConvCore: tap view has shape " + Arrays.toString(tap.shape())
                        + ", expected " + Arrays.toString(expected));
            }
        }

        int chunks() {
            return chunkStart.length - 1;
        }
    }

    /** Views into the shared workspace for one chunk of {@code samples} samples. */
    private final class Scratch {
        final INDArray col;        // [K, n*P]
        final INDArray[] colTaps;  // contiguous [C, n, oH, oW]
        final INDArray y;          // [O, n*P] (forward) or gradient of the output, transposed (backward)
        final INDArray gCol;       // [K, n*P]
        final INDArray[] gColTaps;
        final INDArray tap;        // [C, n, oH, oW]

        Scratch(Plan pl, long samples) {
            long p = samples * pl.oH * pl.oW;
            long k = pl.k;
            INDArray flat = ConvWorkspace.get(dtype, p * (2 * k + outC + inC));
            long at = 0;
            col = slice(flat, at, k * p).reshape(k, p);
            at += k * p;
            gCol = slice(flat, at, k * p).reshape(k, p);
            at += k * p;
            y = slice(flat, at, outC * p).reshape(outC, p);
            at += outC * p;
            tap = slice(flat, at, inC * p).reshape(inC, samples, pl.oH, pl.oW);
            colTaps = taps(col, samples, pl);
            gColTaps = taps(gCol, samples, pl);
        }

        private INDArray slice(INDArray flat, long from, long len) {
            return flat.get(NDArrayIndex.interval(from, from + len));
        }

        private INDArray[] taps(INDArray cols, long samples, Plan pl) {
            INDArray c6 = cols.reshape(kH, kW, inC, samples, pl.oH, pl.oW);
            INDArray[] ts = new INDArray[kH * kW];
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    ts[i * kW + j] = c6.get(NDArrayIndex.point(i), NDArrayIndex.point(j), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                }
            }
            return ts;
        }
    }

    /** @param x validated [N, C, H, W] of the module's type, with an output of at least 1x1 */
    public INDArray forward(INDArray x) {
        long n = x.size(0);
        long h = x.size(2);
        long w = x.size(3);
        long oH = outH(h);
        long oW = outW(w);
        // WinogradConv is a Vector API class: not loaded at all without the module
        winogradLast = DirectConv.AVAILABLE && WinogradConv.applies(dtype, inC, outC, kH, kW, sH, sW, pH, pW, n, h, w);
        if (winogradLast) {
            if (winograd == null || winograd.out.size(0) != n || winograd.gIn.size(2) != h || winograd.gIn.size(3) != w) {
                winograd = new WinogradConv(inC, outC, (int) n, (int) h, (int) w, bias != null, dtype);
            }
            directLast = false;
            ready = true;
            return winograd.forward(x, w4, bias);
        }
        if (DirectConv.applies(dtype, n, inC, outC, h, w, oH, oW, (long) kH * kW * inC)) {
            if (direct == null || direct.out.size(0) != n || direct.gIn.size(2) != h || direct.gIn.size(3) != w) {
                direct = new DirectConv(inC, outC, kH, kW, sH, sW, pH, pW, (int) n, (int) h, (int) w, (int) oH,
                        (int) oW, bias != null);
            }
            directLast = true;
            ready = true;
            return direct.forward(x, w4, bias);
        }
        directLast = false;
        if (plan == null || plan.n != n || plan.h != h || plan.w != w) {
            plan = new Plan(n, h, w);
        }
        Plan pl = plan;
        StridedCopy.assign(pl.xpadInterior, x);
        StridedCopy.assign(pl.wPerm, w4.permute(0, 2, 3, 1));
        for (int c = 0; c < pl.chunks(); c++) {
            long samples = pl.chunkStart[c + 1] - pl.chunkStart[c];
            Scratch s = new Scratch(pl, samples);
            fillColumns(pl, c, s);
            Nd4j.gemm(pl.wPerm2d, s.col, s.y, false, false, 1.0, 0.0);
            if (bias != null) {
                s.y.addiColumnVector(bias.reshape(outC, 1));
            }
            StridedCopy.assign(pl.outChunks[c], s.y.reshape(outC, samples, pl.oH * pl.oW));
        }
        ready = true;
        return pl.out;
    }

    private boolean host(INDArray a) {
        return (dtype == DataType.FLOAT ? StridedCopy.floats(a) : StridedCopy.doubles(a)) != null;
    }

    private void fillColumns(Plan pl, int chunk, Scratch s) {
        if (pl.geo != null && host(s.col)) {
            int n0 = (int) pl.chunkStart[chunk];
            int nc = (int) (pl.chunkStart[chunk + 1] - n0);
            int planeLen = pl.geo.hp() * pl.geo.wp();
            int blockLen = pl.geo.oH() * pl.geo.oW();
            if (dtype == DataType.FLOAT) {
                ConvKernels.im2col(StridedCopy.floats(pl.xpad), (int) pl.xpad.offset(), StridedCopy.floats(s.col),
                        (int) s.col.offset(), pl.geo, n0, nc, ConvKernels.floatBuf(0, planeLen),
                        ConvKernels.floatBuf(1, blockLen));
            } else {
                ConvKernels.im2col(StridedCopy.doubles(pl.xpad), (int) pl.xpad.offset(), StridedCopy.doubles(s.col),
                        (int) s.col.offset(), pl.geo, n0, nc, ConvKernels.doubleBuf(0, planeLen),
                        ConvKernels.doubleBuf(1, blockLen));
            }
            return;
        }
        for (int t = 0; t < s.colTaps.length; t++) {
            StridedCopy.assign(s.colTaps[t], pl.xTaps[chunk][t]);
        }
    }

    /** The shape of the last forward's output. */
    public long[] outputShape() {
        return winogradLast ? winograd.out.shape() : directLast ? direct.out.shape() : plan.out.shape();
    }

    /** Whether a forward ran, so that {@link #backward} may. */
    public boolean ready() {
        return ready;
    }

    /** Adds the weight/bias gradients and returns dLoss/dx [N, C, H, W] (a reused buffer). */
    public INDArray backward(INDArray gradOut) {
        if (winogradLast) {
            return winograd.backward(gradOut, gw4, gBias);
        }
        if (directLast) {
            return direct.backward(gradOut, gw4, gBias);
        }
        Plan pl = plan;
        INDArray g3 = gradOut.reshape(pl.n, outC, pl.oH * pl.oW);
        // host col2im writes whole planes straight into gIn: no padded gradient to bind or zero
        boolean hostCol2im = pl.geo != null && host(new Scratch(pl, pl.chunkStart[1]).gCol);
        if (!hostCol2im) {
            pl.bindGradPad();
            pl.gpad.assign(0);
        }
        pl.gWperm.assign(0);
        for (int c = 0; c < pl.chunks(); c++) {
            long n0 = pl.chunkStart[c];
            long n1 = pl.chunkStart[c + 1];
            Scratch s = new Scratch(pl, n1 - n0);
            INDArray gOt = s.y;
            StridedCopy.assign(gOt.reshape(outC, n1 - n0, pl.oH * pl.oW),
                    g3.get(NDArrayIndex.interval(n0, n1), NDArrayIndex.all(), NDArrayIndex.all()).permute(1, 0, 2));
            fillColumns(pl, c, s);
            Nd4j.gemm(gOt, s.col, pl.gWperm, false, true, 1.0, 1.0);
            if (gBias != null) {
                gOt.sum(pl.gBiasTmp, 1);
                gBias.addi(pl.gBiasTmp);
            }
            Nd4j.gemm(pl.wPerm2d, gOt, s.gCol, true, false, 1.0, 0.0);
            if (hostCol2im) {
                int planeLen = pl.geo.hp() * pl.geo.wp();
                int blockLen = pl.geo.oH() * pl.geo.oW();
                if (dtype == DataType.FLOAT) {
                    ConvKernels.col2im(StridedCopy.floats(s.gCol), (int) s.gCol.offset(), StridedCopy.floats(pl.gIn),
                            (int) pl.gIn.offset(), pl.geo, (int) n0, (int) (n1 - n0), ConvKernels.floatBuf(0, planeLen),
                            ConvKernels.floatBuf(1, blockLen));
                } else {
                    ConvKernels.col2im(StridedCopy.doubles(s.gCol), (int) s.gCol.offset(), StridedCopy.doubles(pl.gIn),
                            (int) pl.gIn.offset(), pl.geo, (int) n0, (int) (n1 - n0), ConvKernels.doubleBuf(0, planeLen),
                            ConvKernels.doubleBuf(1, blockLen));
                }
            } else {
                for (int t = 0; t < s.gColTaps.length; t++) {
                    StridedCopy.addInto(pl.gpadTaps[c][t], s.gColTaps[t]);
                }
            }
        }
        StridedCopy.addInto(gw4, pl.gWperm.reshape(outC, kH, kW, inC).permute(0, 3, 1, 2));
        if (!hostCol2im) {
            StridedCopy.assign(pl.gIn, pl.gpadInteriorNchw);
        }
        return pl.gIn;
    }
}
