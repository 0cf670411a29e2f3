package org.selfsup4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.speech.methods.TimeBudget;

class SpeechScheduleTest {
    private static SpeechPretrainExample example(double minutes, int steps) {
        SpeechPretrainExample ex = new SpeechPretrainExample();
        ex.minutes = minutes;
        ex.steps = steps;
        ex.lr = 5e-4;
        return ex;
    }

    @Test
    void schedule_minutesZero_isWarmupCosineOverStepsWithTheBudgetsWarmupFraction() {
        SpeechPretrainExample ex = example(0, 1000);
        assertTrue(ex.plannedInSteps());
        LearningRateSchedule s = ex.schedule(new TimeBudget(0));
        WarmupCosineSchedule expected = WarmupCosineSchedule.toZero(5e-4, 80, 1000);
        for (long k : new long[] {0, 1, 40, 79, 80, 81, 500, 999, 1000}) {
            assertEquals(expected.at(k), s.at(k), 0.0, "step " + k);
        }
        assertEquals(5e-4, s.at(80), 0.0);
        assertEquals(0.0, s.at(1000), 0.0);
    }

    @Test
    void schedule_minutesPositive_followsTheClockAndIgnoresTheStep() {
        SpeechPretrainExample ex = example(25, 1000);
        assertFalse(ex.plannedInSteps());
        LearningRateSchedule s = ex.schedule(new TimeBudget(25));
        // before the clock starts every step gets the first rate of the budget's warm-up
        assertEquals(s.at(0), s.at(900), 0.0);
        assertTrue(s.at(0) > 0);
    }
}
