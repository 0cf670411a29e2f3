package org.selfsup4j.examples;

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
}
