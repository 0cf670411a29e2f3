package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The calibration's rule: it keeps timing groups of steps while they get faster, so a step that is
 * slow for its first tens of calls (JIT, workspaces) does not make a run plan a third of its budget.
 */
class StepCalibrationTest {
    /** Step i's seconds from a formula, NaN from {@code available} on; counts the steps taken. */
    private static final class FakeSteps implements StepCalibration.TimedStep {
        private final IntToDoubleFunction seconds;
        private final int available;
        int taken;

        FakeSteps(IntToDoubleFunction seconds, int available) {
            this.seconds = seconds;
            this.available = available;
        }

        @Override
        public double run() {
            if (taken >= available) {
                return Double.NaN;
            }
            return seconds.applyAsDouble(taken++);
        }
    }

    @Test
    void stepsThatKeepGettingFaster_areTimedUntilTheySettle() {
        // the shape measured on DINO with 2 local crops: about 1.5 s for the first ten steps, 0.4 s later
        FakeSteps steps = new FakeSteps(i -> i < 10 ? 1.5 : i < 18 ? 0.7 : 0.4, 1000);
        double s = StepCalibration.settledStepSeconds(steps);
        assertEquals(0.4, s, 1e-12);
        // warm-up 2, then groups of 8: 1.5 (steps 2-9), 0.7 (10-17), 0.4 (18-25), 0.4 (26-33): settled
        assertEquals(StepCalibration.WARMUP_STEPS + 4 * StepCalibration.TIMED_STEPS, steps.taken);
    }

    @Test
    void steadySteps_stopAfterTwoGroups() {
        FakeSteps steps = new FakeSteps(i -> 0.25 + (i % 3) * 0.01, 1000);
        assertEquals(0.26, StepCalibration.settledStepSeconds(steps), 1e-12);
        assertEquals(StepCalibration.WARMUP_STEPS + 2 * StepCalibration.TIMED_STEPS, steps.taken);
    }

    @Test
    void stepsThatNeverSettle_stopAtTheGroupLimit() {
        FakeSteps steps = new FakeSteps(i -> Math.pow(0.5, i / StepCalibration.TIMED_STEPS), 1000);
        double s = StepCalibration.settledStepSeconds(steps);
        assertEquals(StepCalibration.WARMUP_STEPS + StepCalibration.MAX_GROUPS * StepCalibration.TIMED_STEPS,
                steps.taken);
        assertTrue(s <= Math.pow(0.5, StepCalibration.MAX_GROUPS - 1), "last group's median, got " + s);
    }

    @Test
    void batchesRunningOut_giveThePartialGroupsMedian_orNaNWhenNoneWasTimed() {
        FakeSteps partial = new FakeSteps(i -> i < 10 ? 2.0 : 1.0, 13);
        assertEquals(1.0, StepCalibration.settledStepSeconds(partial), 1e-12);
        assertTrue(Double.isNaN(StepCalibration.settledStepSeconds(new FakeSteps(i -> 1.0, 2))));
        assertTrue(Double.isNaN(StepCalibration.settledStepSeconds(new FakeSteps(i -> 1.0, 0))));
    }
}
