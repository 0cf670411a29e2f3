package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    private final WarmupCosineSchedule s = new WarmupCosineSchedule(0.4, 10, 110, 0.004);

    @Test
    void warmupCosine_stepZero_isZero() {
        assertEquals(0.0, s.at(0), 0.0);
    }

    @Test
    void warmupCosine_duringWarmup_isLinear() {
        assertEquals(0.04, s.at(1), 1e-15);
        assertEquals(0.2, s.at(5), 1e-15);
        assertEquals(0.36, s.at(9), 1e-15);
    }

    @Test
    void warmupCosine_endOfWarmup_isBaseLr() {
        assertEquals(0.4, s.at(10), 1e-15);
    }

    @Test
    void warmupCosine_midDecay_isHalfway() {
        assertEquals(0.004 + 0.396 / 2, s.at(60), 1e-15);
        assertEquals(0.004 + 0.396 * (1 + Math.cos(Math.PI / 4)) / 2, s.at(35), 1e-15);
    }

    @Test
    void warmupCosine_atAndAfterEnd_isFinalLr() {
        assertEquals(0.004, s.at(110), 1e-15);
        assertEquals(0.004, s.at(1_000_000), 0.0);
        assertTrue(s.at(109) > 0.004);
    }

    @Test
    void warmupCosine_noWarmup_startsAtBaseLr() {
        var c = WarmupCosineSchedule.toZero(1.0, 0, 4);
        assertEquals(1.0, c.at(0), 1e-15);
        assertEquals(0.5, c.at(2), 1e-15);
        assertEquals(0.0, c.at(4), 1e-15);
    }

    @Test
    void warmupCosine_warmupEqualsTotal_endsAtFinalLr() {
        var c = new WarmupCosineSchedule(1.0, 4, 4, 0.1);
        assertEquals(0.75, c.at(3), 1e-15);
        assertEquals(0.1, c.at(4), 0.0);
    }

    @Test
    void warmupCosine_badArguments_throw() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0.1, 20, 10, 0));
        assertTrue(e.getMessage().contains("warmupSteps must be in [0, totalSteps = 10], got 20"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(-0.1, 0, 10, 0));
        assertTrue(e.getMessage().contains("WarmupCosineSchedule: baseLr must be finite and >= 0, got -0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0.1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0.1, -1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0.1, 0, 10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> s.at(-1));
    }

    @Test
    void constant_anyStep_isTheRate() {
        var c = new ConstantSchedule(0.03);
        assertEquals(0.03, c.at(0), 0.0);
        assertEquals(0.03, c.at(123_456_789L), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> new ConstantSchedule(-1e-3));
        assertTrue(e.getMessage().startsWith("ConstantSchedule: learningRate"), e.getMessage());
    }

    @Test
    void byolMomentum_endpoints_areTauBaseAndOne() {
        var m = ByolMomentumSchedule.byol(1000);
        assertEquals(0.996, m.at(0), 1e-15);
        assertEquals(1.0, m.at(1000), 1e-15);
        assertEquals(1.0, m.at(5000), 0.0);
        assertEquals(0.998, m.at(500), 1e-15);
        assertEquals(1 - 0.004 * (Math.cos(Math.PI * 0.25) + 1) / 2, m.at(250), 1e-15);
    }

    @Test
    void byolMomentum_badArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> new ByolMomentumSchedule(1.5, 10));
        var e = assertThrows(IllegalArgumentException.class, () -> new ByolMomentumSchedule(0.99, 0));
        assertTrue(e.getMessage().contains("totalSteps must be > 0, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ByolMomentumSchedule.byol(10).at(-3));
    }

    @Test
    void constantMomentum_isMocos() {
        assertEquals(0.999, ConstantMomentum.moco().at(77), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new ConstantMomentum(-0.1));
    }

    @Test
    void cosineMomentum_risesFromBaseToFinal_andEqualsByolWhenFinalIsOne() {
        var m = new CosineMomentumSchedule(CosineMomentumSchedule.MOCO_CIFAR_BASE,
                CosineMomentumSchedule.MOCO_CIFAR_FINAL, 1000);
        assertEquals(0.99, m.at(0), 1e-15);
        assertEquals(0.9945, m.at(500), 1e-15);
        assertEquals(0.999, m.at(1000), 1e-15);
        assertEquals(0.999, m.at(4000), 0.0);
        assertEquals(0.999 - 0.009 * (Math.cos(Math.PI * 0.75) + 1) / 2, m.at(750), 1e-15);
        var byol = ByolMomentumSchedule.byol(1000);
        var asCosine = new CosineMomentumSchedule(0.996, 1.0, 1000);
        for (long k = 0; k <= 1000; k += 37) {
            assertEquals(byol.at(k), asCosine.at(k), 1e-15);
        }
    }

    @Test
    void cosineMomentum_badArguments_throw() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CosineMomentumSchedule(0.999, 0.99, 10));
        assertTrue(e.getMessage().contains("0.999 and 0.99"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CosineMomentumSchedule(0.9, 1.1, 10));
        assertThrows(IllegalArgumentException.class, () -> new CosineMomentumSchedule(0.9, 0.99, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineMomentumSchedule(0.9, 0.99, 10).at(-1));
    }
}
