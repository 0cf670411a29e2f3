package org.selfsup4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GeluKernels}' float32 formulas in vectors, {@link GeluKernels#cdf} and
 * {@link FloatExp#clamped} ({@link FloatExpVector}) lane by lane, the same operations in the same
 * order (so the same bits; the JIT vectorises neither {@link Math#exp} nor that loop). Only loaded
 * when the JVM has the {@code jdk.incubator.vector} module.
 */
final class GeluVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT2 = (float) GeluKernels.INV_SQRT2;
    private static final float INV_SQRT_2PI = (float) GeluKernels.INV_SQRT_2PI;
    private static final float[] C = GeluKernels.ERFC;

    private GeluVector() {
    }

    /**
     * {@code y[i] = x[i] Phi(x[i])}, {@code d[i] = Phi(x[i]) + x[i] exp(-x[i]^2 / 2) / sqrt(2 pi)} over
     * whole vectors from 0.
     *
     * @return the first index not done (the caller finishes the tail)
     */
    static int chunk(float[] x, float[] y, float[] d, int len) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector z = v.mul(-INV_SQRT2);
            FloatVector a = z.abs();
            FloatVector t = one.div(a.fma(0.5f, 1f));
            FloatVector c = FloatVector.broadcast(S, C[9]);
            for (int k = 8; k >= 0; k--) {
                c = c.fma(t, FloatVector.broadcast(S, C[k]));
            }
            FloatVector h = t.mul(0.5f).mul(FloatExpVector.clamped(c.sub(a.mul(a))));
            FloatVector phi = one.sub(h).blend(h, z.compare(VectorOperators.GE, 0f));
            v.mul(phi).intoArray(y, i);
            v.mul(FloatExpVector.clamped(v.mul(-0.5f).mul(v)))
                    .fma(FloatVector.broadcast(S, INV_SQRT_2PI), phi).intoArray(d, i);
        }
        return i;
    }
}
