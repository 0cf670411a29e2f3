package org.selfsup4j.examples;

import java.util.Set;
import java.util.TreeSet;

/**
 * The range checks of the command lines' numeric options, each throwing {@link UserError#usage} with a
 * message that names the option, what it needs and what came, e.g. {@code "--epochs must be at least 1,
 * got 0"}. A boxed value that is null (the option was not given, a default applies later) passes.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /**
     * @param option the option, e.g. {@code "--epochs"}
     * @param value  what came, or null when the option was not given
     * @param min    the least value allowed
     * @throws UserError when {@code value < min}
     */
    public static void atLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw UserError.usage(option + " must be at least " + min + ", got " + value);
        }
    }

    /**
     * @param option    the option
     * @param value     what came, or null when the option was not given
     * @param zeroMeans what 0 stands for, e.g. {@code "all"}
     * @throws UserError when {@code value < 0}
     */
    public static void nonNegative(String option, Integer value, String zeroMeans) {
        if (value != null && value < 0) {
            throw UserError.usage(option + " must be >= 0 (0: " + zeroMeans + "), got " + value);
        }
    }

    /**
     * @param option the option
     * @param value  what came, or null when the option was not given
     * @param min    the least value allowed
     * @param max    the largest value allowed
     * @throws UserError when {@code value} is outside {@code [min, max]}
     */
    public static void between(String option, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw UserError.usage(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /**
     * @param option the option, e.g. {@code "--lr"}
     * @param value  what came
     * @throws UserError when {@code value} is not a finite number above 0
     */
    public static void positiveFinite(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw UserError.usage(option + " must be a positive finite number, got " + value);
        }
    }

    /**
     * @param option    the option, e.g. {@code "--minutes"}
     * @param value     what came
     * @param zeroMeans what 0 stands for, e.g. {@code "no time budget"}
     * @throws UserError when {@code value} is not a finite number of at least 0
     */
    public static void nonNegativeFinite(String option, double value, String zeroMeans) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw UserError.usage(option + " must be a finite number >= 0 (0: " + zeroMeans + "), got " + value);
        }
    }

    /**
     * @param option the option, e.g. {@code "--lr"}
     * @param value  what came, or null when the option was not given
     * @throws UserError when {@code value} is not a finite number above 0
     */
    public static void positiveFinite(String option, Double value) {
        if (value != null) {
            positiveFinite(option, value.doubleValue());
        }
    }

    /**
     * @param option    the option
     * @param value     what came, or null when the option was not given
     * @param zeroMeans what 0 stands for, e.g. {@code "off"}
     * @throws UserError when {@code value} is not a finite number of at least 0
     */
    public static void nonNegativeFinite(String option, Double value, String zeroMeans) {
        if (value != null) {
            nonNegativeFinite(option, value.doubleValue(), zeroMeans);
        }
    }

    /**
     * @param option the option, e.g. {@code "--momentum"}
     * @param value  what came, or null when the option was not given
     * @throws UserError when {@code value} is outside [0, 1]
     */
    public static void unit(String option, Double value) {
        if (value != null && !(value >= 0 && value <= 1)) {
            throw UserError.usage(option + " must be between 0 and 1, got " + value);
        }
    }

    /**
     * @param option the option, e.g. {@code "--sgd-momentum"}
     * @param value  what came, or null when the option was not given
     * @throws UserError when {@code value} is outside [0, 1)
     */
    public static void fraction(String option, Double value) {
        if (value != null && !(value >= 0 && value < 1)) {
            throw UserError.usage(option + " must be >= 0 and < 1, got " + value);
        }
    }

    /**
     * Refuses an option that the chosen setting does not use, so it is never silently ignored, e.g.
     * {@code "--queue-size is not used by --method simclr; it applies to --method moco-v2"}.
     *
     * @param option    the option
     * @param value     what came, or null when the option was not given
     * @param flag      the option that chose, e.g. {@code "--method"}
     * @param chosen    what it chose, e.g. {@code "simclr"}
     * @param appliesTo the choices that use {@code option}
     * @throws UserError when {@code value} is given and {@code chosen} is not in {@code appliesTo}
     */
    public static void usedBy(String option, Object value, String flag, String chosen, Set<String> appliesTo) {
        if (value != null && !appliesTo.contains(chosen)) {
            throw UserError.usage(option + " is not used by " + flag + " " + chosen + "; it applies to " + flag + " "
                    + String.join(", ", new TreeSet<>(appliesTo)));
        }
    }
}
