package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;

/**
 * Each optimizer against the reference trajectories of make_fixtures.py: torch.optim.SGD, Adam and
 * AdamW (torch 1.13, float64), and LARS written out in numpy from the paper's algorithm.
 */
class OptimizerTrajectoryTest {
    private static final double TOL = 1e-12;

    @ParameterizedTest
    @ValueSource(strings = {"sgd_nesterov", "sgd_momentum", "sgd_plain", "adam", "adam_betas", "adamw",
            "adamw_large_decay", "lars", "lars_nesterov_big_eta"})
    void step_fiveSteps_matchesReferenceTrajectory(String name) {
        JsonNode c = Fixtures.get(name);
        List<Parameter> ps = Fixtures.initialParameters(c);
        Optimizer opt = Fixtures.optimizer(c);
        int steps = c.get("steps").size();
        for (int k = 0; k < steps; k++) {
            Fixtures.loadGradients(c, k, ps);
            opt.step(ps, k);
            for (int i = 0; i < ps.size(); i++) {
                assertClose(Fixtures.expectedAfter(c, k, i), ps.get(i).value(), name + " step " + k + " " + ps.get(i).name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd_nesterov", "sgd_momentum", "adam", "adamw", "lars_nesterov_big_eta"})
    void state_restoredIntoFreshOptimizer_continuesIdentically(String name) {
        JsonNode c = Fixtures.get(name);
        int steps = c.get("steps").size();
        int cut = 2;

        // Interrupted run: two steps, snapshot parameters and state, then a new optimizer and new
        // parameter arrays restored from the snapshot (as a checkpoint would) before its first step.
        List<Parameter> first = Fixtures.initialParameters(c);
        Optimizer opt1 = Fixtures.optimizer(c);
        for (int k = 0; k < cut; k++) {
            Fixtures.loadGradients(c, k, first);
            opt1.step(first, k);
        }
        Map<String, INDArray> saved = new HashMap<>();
        opt1.state(first).forEach((key, arr) -> saved.put(key, arr.dup()));
        List<Parameter> resumed = new ArrayList<>();
        for (Parameter p : Fixtures.initialParameters(c)) {
            resumed.add(p);
        }
        for (int i = 0; i < resumed.size(); i++) {
            resumed.get(i).value().assign(first.get(i).value());
        }
        Optimizer opt2 = Fixtures.optimizer(c);
        Map<String, INDArray> fresh = opt2.state(resumed);
        assertEquals(saved.keySet(), fresh.keySet());
        for (INDArray a : fresh.values()) {
            assertEquals(0.0, a.sumNumber().doubleValue(), 0.0, "new state must start zeroed");
        }
        fresh.forEach((key, arr) -> arr.assign(saved.get(key)));
        for (int k = cut; k < steps; k++) {
            Fixtures.loadGradients(c, k, resumed);
            opt2.step(resumed, k);
        }

        List<Parameter> uninterrupted = Fixtures.initialParameters(c);
        Optimizer opt3 = Fixtures.optimizer(c);
        for (int k = 0; k < steps; k++) {
            Fixtures.loadGradients(c, k, uninterrupted);
            opt3.step(uninterrupted, k);
        }
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals(uninterrupted.get(i).value().ravel().toDoubleVector(), resumed.get(i).value().ravel().toDoubleVector(),
                    0.0, name + " " + resumed.get(i).name());
        }
        // And the restored run is not trivially equal to a cold restart without the state.
        List<Parameter> cold = Fixtures.initialParameters(c);
        for (int i = 0; i < cold.size(); i++) {
            cold.get(i).value().assign(first.get(i).value());
        }
        Optimizer opt4 = Fixtures.optimizer(c);
        for (int k = cut; k < steps; k++) {
            Fixtures.loadGradients(c, k, cold);
            opt4.step(cold, k);
        }
        double diff = cold.get(0).value().sub(uninterrupted.get(0).value()).norm2Number().doubleValue();
        assertTrue(diff > 1e-6, "a cold restart should differ from the resumed run, diff " + diff);
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.ravel().toDoubleVector();
        double[] a = actual.ravel().toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], TOL * Math.max(1.0, Math.abs(e[i])), what + " [" + i + "]");
        }
    }
}
