package org.selfsup4j.core.optim;

/** Argument checks shared by the configs of this package, with messages that name the place. */
final class Checks {
    private Checks() {
    }

    static void nonNegative(String where, String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(where + ": " + what + " must be finite and >= 0, got " + value);
        }
    }

    static void positive(String where, String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(where + ": " + what + " must be finite and > 0, got " + value);
        }
    }

    /** A momentum or averaging coefficient: {@code 0 <= value < 1}. */
    static void unitInterval(String where, String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(where + ": " + what + " must be in [0, 1), got " + value);
        }
    }

    static <T> T notNull(String where, String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": " + what + " must not be null");
        }
        return value;
    }

    /** The schedule's rate at a step, refused when negative or not finite. */
    static double learningRate(String where, LearningRateSchedule schedule, long step) {
        if (step < 0) {
            throw new IllegalArgumentException(where + ": step must be >= 0, got " + step);
        }
        double lr = schedule.at(step);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(where + ": the learning-rate schedule returned " + lr
                    + " at step " + step + ", expected a finite value >= 0");
        }
        return lr;
    }
}
