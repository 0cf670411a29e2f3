package org.selfsup4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link FloatExp} in Vector API lanes: the same operations in the same order, so every lane has the
 * scalar formula's bits, interpreted or compiled. Load it only when the JVM has the
 * {@code jdk.incubator.vector} module.
 */
public final class FloatExpVector {
    private FloatExpVector() {
    }

    /** {@link FloatExp#clamped} lane by lane. */
    public static FloatVector clamped(FloatVector x) {
        FloatVector c = x.max(FloatExp.MIN);
        FloatVector m = c.mul(FloatExp.LOG2E).add(FloatExp.ROUND);
        FloatVector n = m.sub(FloatExp.ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(x.species(), -FloatExp.LN2_LO),
                n.fma(FloatVector.broadcast(x.species(), -FloatExp.LN2_HI), c));
        float[] k = FloatExp.TAYLOR;
        FloatVector p = FloatVector.broadcast(x.species(), k[7]);
        for (int j = 6; j >= 0; j--) {
            p = p.fma(r, FloatVector.broadcast(x.species(), k[j]));
        }
        IntVector bits = (IntVector) m.reinterpretAsInts();
        return p.mul(bits.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** {@link FloatExp#exp} lane by lane: 0 below {@link FloatExp#MIN}, +infinity above {@link FloatExp#MAX}. */
    public static FloatVector exp(FloatVector x) {
        return clamped(x.min(FloatExp.MAX))
                .blend(0f, x.compare(VectorOperators.LT, FloatExp.MIN))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, FloatExp.MAX));
    }
}
