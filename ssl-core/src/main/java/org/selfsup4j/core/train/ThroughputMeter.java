package org.selfsup4j.core.train;

/** Smoothed steps per second and ETA, for progress reports. */
final class ThroughputMeter {
    private static final double SMOOTHING = 0.1;
    private long last = -1;
    private double secondsPerStep = Double.NaN;

    void tick() {
        long now = System.nanoTime();
        if (last >= 0) {
            double dt = (now - last) / 1e9;
            secondsPerStep = Double.isNaN(secondsPerStep) ? dt : (1 - SMOOTHING) * secondsPerStep + SMOOTHING * dt;
        }
        last = now;
    }

    double stepsPerSecond() {
        return Double.isNaN(secondsPerStep) || secondsPerStep <= 0 ? Double.NaN : 1.0 / secondsPerStep;
    }

    double etaSeconds(long remainingSteps) {
        return Double.isNaN(secondsPerStep) ? Double.NaN : remainingSteps * secondsPerStep;
    }
}
