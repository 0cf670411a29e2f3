package org.selfsup4j.losses;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.selfsup4j.core.kernel.FloatExp;
import org.selfsup4j.core.kernel.FloatExpVector;
import org.selfsup4j.core.kernel.Parallel;

/**
 * Float32 kernels written with the JDK's Vector API: the exponential of rows (core's
 * {@link FloatExpVector}, within 2 ulps, the same bits interpreted and compiled; the Vector API's own
 * {@code EXP} is SVML when compiled and {@code Math.exp} before, which differ in the last bit) and BYOL's fused
 * normalize-dot-backward. Loaded only through {@link FloatKernels}, and only when the JVM resolved
 * {@code jdk.incubator.vector}. All arrays are dense row-major floats given as a byte buffer and
 * the byte offset of their first element.
 *
 * <p>Deliberate twins (issue #12): {@code normalizeRows} and {@code normalizeRowsBackward} walk each
 * row the same way (a vector dot product, a scalar tail, a vector scaling pass), written out twice.
 * They also round differently (the forward finishes its sum of squares in double, the backward its
 * dot product in float), so a shared body would take both the operation and the precision as
 * parameters inside the row loop: the parameterisation that measured about 20% slower in the core
 * kernels (see {@code ElementwiseKernels}).
 */
final class VectorKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many elements one thread does it all (fork/join costs more than it saves). */
    private static final long PARALLEL_THRESHOLD = 1 << 16;

    private VectorKernels() {
    }

    /**
     * {@code x[r, c] <- exp(x[r, c])} over {@code rows} contiguous rows of {@code cols} floats starting
     * at byte {@code base} of {@code data}; writes each row's sum of the results to {@code sums} at
     * byte {@code sumBase + 4 r} (accumulated in float lanes, as PyTorch's float reductions).
     */
    static void expRowSums(ByteBuffer data, long base, int rows, int cols, ByteBuffer sums, long sumBase) {
        ByteBuffer d = data.duplicate().order(ORDER);
        ByteBuffer s = sums.duplicate().order(ORDER);
        if ((long) rows * cols < PARALLEL_THRESHOLD || rows < 2) {
            expRows(d, base, 0, rows, cols, s, sumBase);
            return;
        }
        Parallel.forEachChunk(rows, chunks(rows), true,
                (ch, from, to) -> expRows(d, base, from, to, cols, s, sumBase));
    }

    /**
     * BYOL's loss over rows of {@code p} and {@code z} ({@code rows} x {@code cols}): writes
     * {@code dL/dp} and {@code dL/dz} and returns {@code sum_i cos(p_i, z_i)} (norms floored at
     * {@code eps}; the floor has zero derivative, as in {@code F.normalize}).
     */
    static double byol(ByteBuffer p, long pBase, ByteBuffer z, long zBase, int rows, int cols,
                       ByteBuffer dp, long dpBase, ByteBuffer dz, long dzBase, double eps) {
        ByteBuffer pb = p.duplicate().order(ORDER);
        ByteBuffer zb = z.duplicate().order(ORDER);
        ByteBuffer dpb = dp.duplicate().order(ORDER);
        ByteBuffer dzb = dz.duplicate().order(ORDER);
        double scale = 2.0 / rows;
        if ((long) rows * cols < PARALLEL_THRESHOLD || rows < 2) {
            return byolRows(pb, pBase, zb, zBase, 0, rows, cols, dpb, dpBase, dzb, dzBase, eps, scale);
        }
        // the chunks' partial sums are added in chunk order: the same value for any thread count
        return Parallel.sum(rows, chunks(rows), true,
                (ch, from, to) -> byolRows(pb, pBase, zb, zBase, from, to, cols, dpb, dpBase, dzb, dzBase, eps, scale));
    }

    private static double byolRows(ByteBuffer p, long pBase, ByteBuffer z, long zBase, int from, int to, int cols,
                                   ByteBuffer dp, long dpBase, ByteBuffer dz, long dzBase, double eps,
                                   double scale) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(cols);
        double cosSum = 0;
        for (int r = from; r < to; r++) {
            long rowBytes = 4L * r * cols;
            int pr = Math.toIntExact(pBase + rowBytes);
            int zr = Math.toIntExact(zBase + rowBytes);
            int dpr = Math.toIntExact(dpBase + rowBytes);
            int dzr = Math.toIntExact(dzBase + rowBytes);
            FloatVector ppAcc = FloatVector.zero(SPECIES);
            FloatVector zzAcc = FloatVector.zero(SPECIES);
            FloatVector pzAcc = FloatVector.zero(SPECIES);
            int c = 0;
            for (; c < bound; c += lanes) {
                FloatVector pv = FloatVector.fromByteBuffer(SPECIES, p, pr + 4 * c, ORDER);
                FloatVector zv = FloatVector.fromByteBuffer(SPECIES, z, zr + 4 * c, ORDER);
                ppAcc = pv.fma(pv, ppAcc);
                zzAcc = zv.fma(zv, zzAcc);
                pzAcc = pv.fma(zv, pzAcc);
            }
            double pp = ppAcc.reduceLanes(VectorOperators.ADD);
            double zz = zzAcc.reduceLanes(VectorOperators.ADD);
            double pz = pzAcc.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                double pv = p.getFloat(pr + 4 * c);
                double zv = z.getFloat(zr + 4 * c);
                pp += pv * pv;
                zz += zv * zv;
                pz += pv * zv;
            }
            double pNorm = Math.sqrt(pp);
            double zNorm = Math.sqrt(zz);
            double np = Math.max(pNorm, eps);
            double nz = Math.max(zNorm, eps);
            double cos = pz / (np * nz);
            cosSum += cos;
            // dL/dp = -(2/N) (v - u (u.v)) / |p| with u, v the unit rows; likewise for z.
            float a = (float) (-scale / (np * nz));
            float bp = (float) (pNorm > eps ? scale * cos / (np * np) : 0);
            float bz = (float) (zNorm > eps ? scale * cos / (nz * nz) : 0);
            c = 0;
            for (; c < bound; c += lanes) {
                FloatVector pv = FloatVector.fromByteBuffer(SPECIES, p, pr + 4 * c, ORDER);
                FloatVector zv = FloatVector.fromByteBuffer(SPECIES, z, zr + 4 * c, ORDER);
                zv.mul(a).add(pv.mul(bp)).intoByteBuffer(dp, dpr + 4 * c, ORDER);
                pv.mul(a).add(zv.mul(bz)).intoByteBuffer(dz, dzr + 4 * c, ORDER);
            }
            for (; c < cols; c++) {
                float pv = p.getFloat(pr + 4 * c);
                float zv = z.getFloat(zr + 4 * c);
                dp.putFloat(dpr + 4 * c, a * zv + bp * pv);
                dz.putFloat(dzr + 4 * c, a * pv + bz * zv);
            }
        }
        return cosSum;
    }

    /**
     * Row-wise L2 normalization {@code dst_r = src_r / max(||src_r||, eps)} ({@code src} may be
     * {@code dst}); writes the clamped norms, and 1 or 0 for whether the norm exceeded {@code eps},
     * as floats at {@code clampedBase + 4 r} and {@code activeBase + 4 r}.
     */
    static void normalizeRows(ByteBuffer src, long srcBase, ByteBuffer dst, long dstBase, int rows, int cols,
                              ByteBuffer clamped, long clampedBase, ByteBuffer active, long activeBase,
                              double eps) {
        ByteBuffer sb = src.duplicate().order(ORDER);
        ByteBuffer db = dst.duplicate().order(ORDER);
        ByteBuffer cb = clamped.duplicate().order(ORDER);
        ByteBuffer ab = active.duplicate().order(ORDER);
        forRows(rows, cols, (from, to) -> {
            int lanes = SPECIES.length();
            int bound = SPECIES.loopBound(cols);
            for (int r = from; r < to; r++) {
                int sr = Math.toIntExact(srcBase + 4L * r * cols);
                int dr = Math.toIntExact(dstBase + 4L * r * cols);
                FloatVector acc = FloatVector.zero(SPECIES);
                int c = 0;
                for (; c < bound; c += lanes) {
                    FloatVector v = FloatVector.fromByteBuffer(SPECIES, sb, sr + 4 * c, ORDER);
                    acc = v.fma(v, acc);
                }
                double ss = acc.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    double v = sb.getFloat(sr + 4 * c);
                    ss += v * v;
                }
                float norm = (float) Math.sqrt(ss);
                float cl = (float) Math.max(norm, eps);
                cb.putFloat(Math.toIntExact(clampedBase + 4L * r), cl);
                ab.putFloat(Math.toIntExact(activeBase + 4L * r), norm > eps ? 1f : 0f);
                c = 0;
                for (; c < bound; c += lanes) {
                    FloatVector.fromByteBuffer(SPECIES, sb, sr + 4 * c, ORDER).div(cl)
                            .intoByteBuffer(db, dr + 4 * c, ORDER);
                }
                for (; c < cols; c++) {
                    db.putFloat(dr + 4 * c, sb.getFloat(sr + 4 * c) / cl);
                }
            }
        });
    }

    /**
     * Backward of {@link #normalizeRows} in place: {@code g_r <- (g_r - u_r (u_r . g_r) active_r) / clamped_r}.
     */
    static void normalizeRowsBackward(ByteBuffer u, long uBase, ByteBuffer g, long gBase, int rows, int cols,
                                      ByteBuffer clamped, long clampedBase, ByteBuffer active, long activeBase) {
        ByteBuffer ub = u.duplicate().order(ORDER);
        ByteBuffer gb = g.duplicate().order(ORDER);
        ByteBuffer cb = clamped.duplicate().order(ORDER);
        ByteBuffer ab = active.duplicate().order(ORDER);
        forRows(rows, cols, (from, to) -> {
            int lanes = SPECIES.length();
            int bound = SPECIES.loopBound(cols);
            for (int r = from; r < to; r++) {
                int ur = Math.toIntExact(uBase + 4L * r * cols);
                int gr = Math.toIntExact(gBase + 4L * r * cols);
                FloatVector acc = FloatVector.zero(SPECIES);
                int c = 0;
                for (; c < bound; c += lanes) {
                    acc = FloatVector.fromByteBuffer(SPECIES, ub, ur + 4 * c, ORDER)
                            .fma(FloatVector.fromByteBuffer(SPECIES, gb, gr + 4 * c, ORDER), acc);
                }
                float dot = acc.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    dot += ub.getFloat(ur + 4 * c) * gb.getFloat(gr + 4 * c);
                }
                dot *= ab.getFloat(Math.toIntExact(activeBase + 4L * r));
                float inv = 1f / cb.getFloat(Math.toIntExact(clampedBase + 4L * r));
                c = 0;
                for (; c < bound; c += lanes) {
                    FloatVector gv = FloatVector.fromByteBuffer(SPECIES, gb, gr + 4 * c, ORDER);
                    FloatVector uv = FloatVector.fromByteBuffer(SPECIES, ub, ur + 4 * c, ORDER);
                    uv.mul(-dot).add(gv).mul(inv).intoByteBuffer(gb, gr + 4 * c, ORDER);
                }
                for (; c < cols; c++) {
                    gb.putFloat(gr + 4 * c, (gb.getFloat(gr + 4 * c) - ub.getFloat(ur + 4 * c) * dot) * inv);
                }
            }
        });
    }

    /**
     * NT-Xent's GEMM operand {@code w = [u | diag(1/r) u]}: {@code u} is [M, D], {@code w} [M, 2D],
     * {@code r} the M row sums.
     */
    static void ntXentOperand(ByteBuffer u, long uBase, ByteBuffer w, long wBase, ByteBuffer r, long rBase,
                              int rows, int cols) {
        ByteBuffer ub = u.duplicate().order(ORDER);
        ByteBuffer wb = w.duplicate().order(ORDER);
        ByteBuffer rb = r.duplicate().order(ORDER);
        forRows(rows, 2 * cols, (from, to) -> {
            int lanes = SPECIES.length();
            int bound = SPECIES.loopBound(cols);
            for (int i = from; i < to; i++) {
                int ur = Math.toIntExact(uBase + 4L * i * cols);
                int wr = Math.toIntExact(wBase + 8L * i * cols);
                float inv = 1f / rb.getFloat(Math.toIntExact(rBase + 4L * i));
                int c = 0;
                for (; c < bound; c += lanes) {
                    FloatVector v = FloatVector.fromByteBuffer(SPECIES, ub, ur + 4 * c, ORDER);
                    v.intoByteBuffer(wb, wr + 4 * c, ORDER);
                    v.mul(inv).intoByteBuffer(wb, wr + 4 * (cols + c), ORDER);
                }
                for (; c < cols; c++) {
                    float v = ub.getFloat(ur + 4 * c);
                    wb.putFloat(wr + 4 * c, v);
                    wb.putFloat(wr + 4 * (cols + c), v * inv);
                }
            }
        });
    }

    /**
     * NT-Xent's gradient w.r.t. the unit rows from {@code x = E w} ([M, 2D]):
     * {@code du_i = x_i[0:D] / r_i + x_i[D:2D] - twoAlpha u_p(i)} with {@code p(i)} the partner row.
     */
    static void ntXentCombine(ByteBuffer x, long xBase, ByteBuffer r, long rBase, ByteBuffer u, long uBase,
                              ByteBuffer du, long duBase, int rows, int cols, float twoAlpha) {
        ByteBuffer xb = x.duplicate().order(ORDER);
        ByteBuffer rb = r.duplicate().order(ORDER);
        ByteBuffer ub = u.duplicate().order(ORDER);
        ByteBuffer db = du.duplicate().order(ORDER);
        int half = rows / 2;
        forRows(rows, 2 * cols, (from, to) -> {
            int lanes = SPECIES.length();
            int bound = SPECIES.loopBound(cols);
            for (int i = from; i < to; i++) {
                int partner = i < half ? i + half : i - half;
                int xr = Math.toIntExact(xBase + 8L * i * cols);
                int ur = Math.toIntExact(uBase + 4L * partner * cols);
                int dr = Math.toIntExact(duBase + 4L * i * cols);
                float inv = 1f / rb.getFloat(Math.toIntExact(rBase + 4L * i));
                int c = 0;
                for (; c < bound; c += lanes) {
                    FloatVector left = FloatVector.fromByteBuffer(SPECIES, xb, xr + 4 * c, ORDER);
                    FloatVector right = FloatVector.fromByteBuffer(SPECIES, xb, xr + 4 * (cols + c), ORDER);
                    FloatVector up = FloatVector.fromByteBuffer(SPECIES, ub, ur + 4 * c, ORDER);
                    left.mul(inv).add(right).sub(up.mul(twoAlpha)).intoByteBuffer(db, dr + 4 * c, ORDER);
                }
                for (; c < cols; c++) {
                    float v = xb.getFloat(xr + 4 * c) * inv + xb.getFloat(xr + 4 * (cols + c))
                            - twoAlpha * ub.getFloat(ur + 4 * c);
                    db.putFloat(dr + 4 * c, v);
                }
            }
        });
    }

    private interface RowRange {
        void run(int from, int to);
    }

    private static void forRows(int rows, int cols, RowRange body) {
        if ((long) rows * cols < PARALLEL_THRESHOLD || rows < 2) {
            body.run(0, rows);
            return;
        }
        Parallel.forEachChunk(rows, chunks(rows), true, (ch, from, to) -> body.run(from, to));
    }

    /** Fixed chunks of a row loop: {@link Parallel#CHUNKS}, at most one per row. */
    private static int chunks(int rows) {
        return Math.min(rows, Parallel.CHUNKS);
    }

    private static void expRows(ByteBuffer d, long base, int from, int to, int cols, ByteBuffer s, long sumBase) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(cols);
        for (int r = from; r < to; r++) {
            int row = Math.toIntExact(base + 4L * r * cols);
            FloatVector acc = FloatVector.zero(SPECIES);
            int c = 0;
            for (; c < bound; c += lanes) {
                int at = row + 4 * c;
                FloatVector e = FloatExpVector.exp(FloatVector.fromByteBuffer(SPECIES, d, at, ORDER));
                e.intoByteBuffer(d, at, ORDER);
                acc = acc.add(e);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                int at = row + 4 * c;
                float e = FloatExp.exp(d.getFloat(at));
                d.putFloat(at, e);
                sum += e;
            }
            s.putFloat(Math.toIntExact(sumBase + 4L * r), sum);
        }
    }
}
