package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;

class EmaCopyTest {

    private static TinyModule module(double w0, double b0, double mean0) {
        INDArray w = Nd4j.createFromArray(new double[][] {{w0, 2 * w0}, {-w0, 0.5}});
        INDArray b = Nd4j.createFromArray(b0, -b0);
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        buffers.put("bn.running_mean", Nd4j.createFromArray(mean0, mean0 + 1));
        return new TinyModule(List.of(new Parameter("fc.weight", w, true), new Parameter("fc.bias", b, false)), buffers);
    }

    @Test
    void construction_copiesParametersAndBuffers() {
        var online = module(1, 2, 3);
        var target = module(0, 0, 0);
        new EmaCopy(online, target);
        assertArrayEquals(new double[] {1, 2, -1, 0.5},
                target.parameters().get(0).value().ravel().toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {2, -2}, target.parameters().get(1).value().toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {3, 4}, target.buffers().get("bn.running_mean").toDoubleVector(), 0.0);
    }

    @Test
    void update_tau_averagesParametersAndKeepsTargetBuffers() {
        var online = module(1, 2, 3);
        var target = module(0, 0, 0);
        var ema = new EmaCopy(online, target);
        // Online moves; target's BN statistics evolve by the target's own forward.
        online.parameters().get(0).value().assign(Nd4j.createFromArray(new double[][] {{5, 6}, {7, 8}}));
        online.parameters().get(1).value().assign(Nd4j.createFromArray(10.0, 20.0));
        online.buffers().get("bn.running_mean").assign(100);
        target.buffers().get("bn.running_mean").assign(Nd4j.createFromArray(-1.0, -2.0));
        ema.update(0.75);
        // 0.75 * old target + 0.25 * online, written out.
        assertArrayEquals(new double[] {0.75 * 1 + 0.25 * 5, 0.75 * 2 + 0.25 * 6, 0.75 * -1 + 0.25 * 7, 0.75 * 0.5 + 0.25 * 8},
                target.parameters().get(0).value().ravel().toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0.75 * 2 + 0.25 * 10, 0.75 * -2 + 0.25 * 20},
                target.parameters().get(1).value().toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {-1, -2}, target.buffers().get("bn.running_mean").toDoubleVector(), 0.0);
        // Online untouched.
        assertArrayEquals(new double[] {10, 20}, online.parameters().get(1).value().toDoubleVector(), 0.0);
    }

    @Test
    void update_bufferPolicies_copyOrAverageBuffers() {
        var online = module(1, 2, 3);
        var copyTarget = module(0, 0, 0);
        var emaTarget = module(0, 0, 0);
        var copy = new EmaCopy(online, copyTarget, EmaBufferPolicy.COPY);
        var avg = new EmaCopy(online, emaTarget, EmaBufferPolicy.EMA);
        online.buffers().get("bn.running_mean").assign(Nd4j.createFromArray(13.0, 24.0));
        copy.update(0.9);
        avg.update(0.9);
        assertArrayEquals(new double[] {13, 24}, copyTarget.buffers().get("bn.running_mean").toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {0.9 * 3 + 0.1 * 13, 0.9 * 4 + 0.1 * 24},
                emaTarget.buffers().get("bn.running_mean").toDoubleVector(), 1e-14);
    }

    @Test
    void update_tauOneAndZero_freezeAndCopy() {
        var online = module(1, 2, 3);
        var target = module(0, 0, 0);
        var ema = new EmaCopy(online, target);
        online.parameters().get(1).value().assign(9);
        ema.update(1.0);
        assertArrayEquals(new double[] {2, -2}, target.parameters().get(1).value().toDoubleVector(), 0.0);
        ema.update(ByolMomentumSchedule.byol(100), 0);
        assertEquals(0.996 * 2 + 0.004 * 9, target.parameters().get(1).value().getDouble(0), 1e-14);
        ema.update(0.0);
        assertArrayEquals(new double[] {9, 9}, target.parameters().get(1).value().toDoubleVector(), 0.0);
    }

    @Test
    void update_float32_averagesInPlace() {
        INDArray on = Nd4j.createFromArray(1f, 2f);
        INDArray tg = Nd4j.create(DataType.FLOAT, 2);
        var online = new TinyModule(List.of(new Parameter("p", on, true)), Map.of());
        var target = new TinyModule(List.of(new Parameter("p", tg, true)), Map.of());
        var ema = new EmaCopy(online, target);
        on.assign(3);
        ema.update(0.5);
        assertArrayEquals(new float[] {2f, 2.5f}, tg.toFloatVector(), 1e-6f);
        assertSame(tg, ema.state().get("p"));
    }

    @Test
    void state_exposesLiveTargetArrays() {
        var online = module(1, 2, 3);
        var target = module(0, 0, 0);
        var ema = new EmaCopy(online, target);
        assertEquals(List.of("fc.weight", "fc.bias", "bn.running_mean"), List.copyOf(ema.state().keySet()));
        assertSame(target.parameters().get(0).value(), ema.state().get("fc.weight"));
        assertSame(target.buffers().get("bn.running_mean"), ema.state().get("bn.running_mean"));
    }

    @Test
    void construction_mismatchedNames_throwsNamingThem() {
        var online = module(1, 2, 3);
        var target = new TinyModule(List.of(new Parameter("fc.weight", Nd4j.zeros(2, 2), true),
                new Parameter("fc.b", Nd4j.zeros(2), false)), Map.of("bn.running_mean", Nd4j.zeros(2)));
        var e = assertThrows(IllegalArgumentException.class, () -> new EmaCopy(online, target));
        assertTrue(e.getMessage().contains("only in online: [fc.bias], only in target: [fc.b]"), e.getMessage());
    }

    @Test
    void construction_mismatchedShapes_throwsWithShapes() {
        var online = module(1, 2, 3);
        var target = new TinyModule(List.of(new Parameter("fc.weight", Nd4j.zeros(2, 3), true),
                new Parameter("fc.bias", Nd4j.zeros(2), false)), Map.of("bn.running_mean", Nd4j.zeros(2)));
        var e = assertThrows(IllegalArgumentException.class, () -> new EmaCopy(online, target));
        assertTrue(e.getMessage().contains("parameter fc.weight is [2, 2] DOUBLE in online but [2, 3]"), e.getMessage());
    }

    @Test
    void construction_mismatchedBuffers_throws() {
        var online = module(1, 2, 3);
        var target = new TinyModule(module(0, 0, 0).parameters(), Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> new EmaCopy(online, target));
        assertTrue(e.getMessage().contains("same buffer names"), e.getMessage());
    }

    @Test
    void update_tauOutsideUnitInterval_throws() {
        var ema = new EmaCopy(module(1, 2, 3), module(0, 0, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> ema.update(1.01));
        assertTrue(e.getMessage().startsWith("EmaCopy.update: tau must be in [0.0, 1.0], got 1.01"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ema.update(Double.NaN));
    }

    @Test
    void construction_sameModule_throws() {
        var m = module(1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> new EmaCopy(m, m));
    }
}
