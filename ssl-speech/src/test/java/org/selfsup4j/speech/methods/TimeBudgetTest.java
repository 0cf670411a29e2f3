package org.selfsup4j.speech.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.optim.WarmupCosineSchedule;

class TimeBudgetTest {
    /** The schedule SpeechPretrainExample wrote by hand before it moved here, as a function of progress p. */
    private static double handWritten(double lr, double p) {
        double warm = 0.08;
        return p < warm ? lr * Math.max(p, 1e-3) / warm : lr * 0.5 * (1 + Math.cos(Math.PI * (p - warm) / (1 - warm)));
    }

    @Test
    void rateAt_matchesTheExamplesHandWrittenSchedule() {
        long budget = (long) (25 * 60e9);
        double lr = 5e-4;
        WarmupCosineSchedule byTime = WarmupCosineSchedule.toZero(lr, Math.round(0.08 * budget), budget);
        for (int i = 0; i <= 1000; i++) {
            double p = i / 1000.0;
            long elapsed = (long) (p * budget);
            assertEquals(handWritten(lr, Math.min(1, elapsed / (double) budget)), TimeBudget.rateAt(byTime, elapsed),
                    lr * 1e-9, "p = " + p);
        }
        assertEquals(handWritten(lr, 0), TimeBudget.rateAt(byTime, 0), lr * 1e-12);
        assertEquals(0.0, TimeBudget.rateAt(byTime, 2 * budget), lr * 1e-12);
    }

    @Test
    void schedule_beforeStart_isTheWarmUpFloor() {
        TimeBudget b = new TimeBudget(10);
        LearningRateSchedule s = b.schedule(1e-3, TimeBudget.DEFAULT_WARMUP_FRACTION);
        assertEquals(1e-3 * TimeBudget.MIN_PROGRESS / 0.08, s.at(0), 1e-12);
        assertEquals(0, b.elapsedNanos());
        assertFalse(b.expired());
    }

    @Test
    void expired_afterTheBudget_andTheRateIsZero() throws InterruptedException {
        TimeBudget b = new TimeBudget(1e-5); // 0.6 ms
        LearningRateSchedule s = b.schedule(1e-3, TimeBudget.DEFAULT_WARMUP_FRACTION);
        b.start();
        Thread.sleep(5);
        assertTrue(b.expired());
        assertEquals(0.0, s.at(123), 0.0);
        assertTrue(new TimeBudget(0).expired());
    }

    @Test
    void invalidArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(-1));
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(1).schedule(1e-3, 1.5));
    }
}
