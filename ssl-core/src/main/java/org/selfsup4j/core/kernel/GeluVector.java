package org.selfsup4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponential part of {@link GeluKernels}' float32 derivative through the Vector API's vectorised
 * {@code exp} (the JIT does not vectorise {@link Math#exp}). Only loaded when the JVM has the
 * {@code jdk.incubator.vector} module.
 */
final class GeluVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT_2PI = (float) GeluKernels.INV_SQRT_2PI;

    private GeluVector() {
    }

    /** {@code d[i] += x[i] * exp(t[i]) / sqrt(2 pi)} for {@code i < len}. */
    static void addDensityTerm(float[] x, float[] d, float[] t, int len) {
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, t, i).lanewise(VectorOperators.EXP);
            FloatVector.fromArray(S, x, i).mul(e).mul(INV_SQRT_2PI).add(FloatVector.fromArray(S, d, i)).intoArray(d, i);
        }
        for (; i < len; i++) {
            d[i] += x[i] * (float) Math.exp(t[i]) * INV_SQRT_2PI;
        }
    }
}
