package org.selfsup4j.core.kernel;

/**
 * {@code e^x} in float32 written with + * fma and bit operations only, so that it gives the same bits
 * interpreted and JIT-compiled, and lane for lane the same bits as {@link FloatExpVector}.
 *
 * <p>Why not the JDK's: {@link Math#exp} and the Vector API's {@code EXP} are intrinsics whose
 * compiled form (libm / SVML) and interpreted fallback can differ in the last bit, so a process that
 * resumed a run (its first steps in the interpreter) drifted from the uninterrupted run. The
 * formula is Cephes' {@code expf}: {@code x = n ln2 + r} (ln2 in two parts, {@code |r| <= ln2 / 2}),
 * a degree-7 Taylor polynomial of {@code e^r} (truncation 5e-9 relative), {@code 2^n} from the
 * exponent bits; within 2 ulps of the exact value.
 */
public final class FloatExp {
    /** Below this, {@link #clamped} gives {@code e^-87} and {@link #exp} 0 (the smallest normal float is e^-87.3). */
    public static final float MIN = -87f;
    /** Above this, {@code 127.5 ln 2}, {@link #exp} gives +infinity ({@code e^x > 2.4e38}; the true value overflows at 88.72). */
    public static final float MAX = 88.37626f;
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 to the nearest integer, held in the low bits. */
    static final float ROUND = 12582912f;
    static final float[] TAYLOR = {1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040};

    private FloatExp() {
    }

    /**
     * {@code e^max(x, -87)} for {@code x <= 88.37} (GELU's: its arguments are {@code <= 0}, and a
     * floor instead of a flush keeps its tails smooth). NaN gives NaN.
     */
    public static float clamped(float x) {
        float c = Math.max(x, MIN);
        float m = c * LOG2E + ROUND;
        float n = m - ROUND;
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, c));
        float p = TAYLOR[7];
        for (int k = 6; k >= 0; k--) {
            p = Math.fma(p, r, TAYLOR[k]);
        }
        // m's low mantissa bits hold n (m = 1.5 * 2^23 + n), so (bits(m) + 127) << 23 is 2^n's bits
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(m) + 127) << 23);
    }

    /**
     * {@code e^x}: 0 below {@link #MIN} (so {@code e^-inf = 0}, as a softmax's masked entries need),
     * +infinity above {@link #MAX}, NaN for NaN.
     */
    public static float exp(float x) {
        if (x < MIN) {
            return 0f;
        }
        if (x > MAX) {
            return Float.POSITIVE_INFINITY;
        }
        return clamped(x);
    }
}
