package org.selfsup4j.core.kernel;

import java.util.Locale;
import org.selfsup4j.core.Checks;

/**
 * Which algorithm 3x3 stride-1 padding-1 convolutions use: system property {@value #PROPERTY}, read
 * once at class initialisation, or {@link #set} (tests, benchmarks that alternate the two in one
 * process).
 * <ul>
 *   <li>{@code auto}: Winograd F(2x2, 3x3) ({@link WinogradConv}) for float32 layers where it was
 *       measured faster per layer ({@link WinogradConv#applies}), the direct path elsewhere;</li>
 *   <li>{@code direct} (default): never Winograd (the direct paths of {@link ConvCore} and
 *       {@link DirectConv});</li>
 *   <li>{@code winograd}: every 3x3 stride-1 padding-1 layer, float64 included.</li>
 * </ul>
 * Results of a training run depend on the choice (different roundings), never on the thread count.
 */
public final class ConvAlgorithm {
    /** The system property. */
    public static final String PROPERTY = "selfsup4j.conv";
    /** Winograd where it was measured faster per layer. */
    public static final String AUTO = "auto";
    /** Never Winograd: the default. */
    public static final String DIRECT = "direct";
    /** Winograd for every layer it can run. */
    public static final String WINOGRAD = "winograd";

    // direct by default: on a whole training step Winograd has not yet been measured faster (its
    // weight gradient is still direct), and direct keeps the numerics of earlier results
    private static volatile String mode = parse(System.getProperty(PROPERTY, DIRECT));

    private ConvAlgorithm() {
    }

    private static String parse(String s) {
        String m = s.trim().toLowerCase(Locale.ROOT);
        if (!m.equals(AUTO) && !m.equals(DIRECT) && !m.equals(WINOGRAD)) {
            throw new IllegalArgumentException(PROPERTY + ": expected auto, direct or winograd, got '" + s + "'");
        }
        return m;
    }

    /** @return {@code auto}, {@code direct} or {@code winograd} */
    public static String get() {
        return mode;
    }

    /**
     * Sets the algorithm for the following forwards.
     *
     * @param m {@code auto}, {@code direct} or {@code winograd} (any case)
     * @throws IllegalArgumentException for another value
     */
    public static void set(String m) {
        mode = parse(Checks.notNull("ConvAlgorithm.set", "mode", m));
    }
}
