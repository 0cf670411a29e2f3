package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The deterministic float32 exp: its error against double-precision {@link Math#exp} over the whole
 * range, its special values, and the vector lanes giving the scalar formula's bits for any input.
 */
class FloatExpTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Test
    void exp_isWithinTwoUlps_overItsRange() {
        double worstUlps = 0;
        float worstAt = 0;
        for (float x = FloatExp.MIN; x <= FloatExp.MAX; x = Math.nextUp(x + 1e-4f)) {
            double ref = Math.exp(x);
            double ulps = Math.abs(FloatExp.exp(x) - ref) / Math.ulp((float) ref);
            if (ulps > worstUlps) {
                worstUlps = ulps;
                worstAt = x;
            }
        }
        assertTrue(worstUlps <= 2, "max error " + worstUlps + " ulps at x = " + worstAt);
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals((float) Math.E, FloatExp.exp(1f), Math.ulp((float) Math.E));
    }

    @Test
    void exp_specialValues() {
        assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatExp.exp(-87.5f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(89f));
        assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
        // GELU's form floors instead of flushing
        assertEquals((float) Math.exp(-87), FloatExp.clamped(Float.NEGATIVE_INFINITY), 1e-44f);
        assertEquals(FloatExp.exp(FloatExp.MIN), FloatExp.clamped(-1000f));
        assertTrue(Float.isNaN(FloatExp.clamped(Float.NaN)));
    }

    @Test
    void vectorLanes_giveTheScalarBits_forEveryInput() {
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[S.length() * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 200 - 100);
        }
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -0f, 0f, FloatExp.MIN,
            FloatExp.MAX, Math.nextDown(FloatExp.MIN), Math.nextUp(FloatExp.MAX), -87.3f, 88.7f, 1e-30f};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = 0; i < x.length; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            float[] e = FloatExpVector.exp(v).toArray();
            float[] c = FloatExpVector.clamped(v.min(FloatExp.MAX)).toArray();
            for (int lane = 0; lane < S.length(); lane++) {
                float xi = x[i + lane];
                // floatToIntBits: one NaN pattern (payloads may differ), every other value to the bit
                assertEquals(Float.floatToIntBits(FloatExp.exp(xi)), Float.floatToIntBits(e[lane]), "exp(" + xi + ")");
                assertEquals(Float.floatToIntBits(FloatExp.clamped(Math.min(xi, FloatExp.MAX))),
                        Float.floatToIntBits(c[lane]), "clamped(" + xi + ")");
            }
        }
    }
}
