package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceMonitorTest {
    private static final double CHANCE = Math.log(31);
    private static final double HEALTHY_STD = 0.1;

    @Test
    void defaults_areTheNamedConstants() {
        DivergenceMonitor.Config c = DivergenceMonitor.Config.defaults();
        assertEquals(DivergenceMonitor.Config.DEFAULT_PATIENCE, c.patience());
        assertEquals(DivergenceMonitor.Config.DEFAULT_CHANCE_TOLERANCE, c.chanceTolerance());
        assertEquals(DivergenceMonitor.Config.DEFAULT_MIN_EMBEDDING_STD, c.minEmbeddingStd());
        assertEquals(DivergenceMonitor.Config.DEFAULT_MAX_BUFFER_MAGNITUDE, c.maxBufferMagnitude());
        assertFalse(c.stopOnDivergence());
    }

    @Test
    void lossAtChance_warnsOncePerEpisode_afterPatienceSteps() {
        DivergenceMonitor m = new DivergenceMonitor(DivergenceMonitor.Config.defaults().withPatience(3));
        List<DivergenceWarning> all = new ArrayList<>();
        double[] losses = {CHANCE, CHANCE, CHANCE, CHANCE, 1.0, CHANCE, CHANCE, CHANCE};
        for (int s = 0; s < losses.length; s++) {
            all.addAll(m.observe(s, losses[s], CHANCE, HEALTHY_STD, "b", 1.0));
        }
        assertEquals(List.of(2L, 7L), all.stream().map(DivergenceWarning::step).toList());
        assertTrue(all.stream().allMatch(w -> w.kind() == DivergenceWarning.Kind.LOSS_AT_CHANCE));
    }

    @Test
    void lossJustBelowTolerance_doesNotWarn_andNoChanceValue_neverWarns() {
        DivergenceMonitor m = new DivergenceMonitor(DivergenceMonitor.Config.defaults().withPatience(1));
        assertTrue(m.observe(0, 0.98 * CHANCE, CHANCE, HEALTHY_STD, "b", 1.0).isEmpty());
        assertTrue(m.observe(1, CHANCE, Double.NaN, HEALTHY_STD, "b", 1.0).isEmpty());
        assertEquals(1, m.observe(2, 0.995 * CHANCE, CHANCE, HEALTHY_STD, "b", 1.0).size());
    }

    @Test
    void collapsedStd_andNaNBuffer_warn() {
        DivergenceMonitor m = new DivergenceMonitor(DivergenceMonitor.Config.defaults().withPatience(2));
        assertTrue(m.observe(0, 1.0, CHANCE, 0.0, "bn.running_var", Double.NaN).isEmpty());
        List<DivergenceWarning> w = m.observe(1, 1.0, CHANCE, 0.0, "bn.running_var", Double.NaN);
        assertEquals(List.of(DivergenceWarning.Kind.EMBEDDING_COLLAPSE, DivergenceWarning.Kind.BUFFER_BEYOND_BOUND),
                w.stream().map(DivergenceWarning::kind).toList());
        assertTrue(w.get(1).message().contains("bn.running_var"), w.get(1).message());
    }

    @Test
    void disabled_neverWarns() {
        DivergenceMonitor m = new DivergenceMonitor(DivergenceMonitor.Config.disabled());
        for (int s = 0; s < 200; s++) {
            assertTrue(m.observe(s, CHANCE, CHANCE, 0.0, "b", 1e30).isEmpty());
        }
        assertFalse(m.watchesBuffers());
    }

    @Test
    void config_withBadValues_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DivergenceMonitor.Config.defaults().withPatience(0));
        assertTrue(e.getMessage().contains("patience"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DivergenceMonitor.Config.defaults().withChanceTolerance(1.5));
        assertThrows(IllegalArgumentException.class, () -> DivergenceMonitor.Config.defaults().withMaxBufferMagnitude(0));
        assertThrows(IllegalArgumentException.class, () -> DivergenceMonitor.Config.defaults().withMinEmbeddingStd(-1));
    }
}
