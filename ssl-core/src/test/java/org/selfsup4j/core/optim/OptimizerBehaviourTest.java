package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;

class OptimizerBehaviourTest {

    static Stream<Arguments> decaying() {
        LearningRateSchedule lr = new ConstantSchedule(0.1);
        return Stream.of(
                Arguments.of("Sgd", (Function<Double, Optimizer>) wd -> Sgd.builder(lr).momentum(0.9).weightDecay(wd).build()),
                Arguments.of("Adam", (Function<Double, Optimizer>) wd -> Adam.builder(lr).weightDecay(wd).build()),
                Arguments.of("AdamW", (Function<Double, Optimizer>) wd -> AdamW.builder(lr).weightDecay(wd).build()),
                Arguments.of("Lars", (Function<Double, Optimizer>) wd -> Lars.builder(lr).weightDecay(wd).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decaying")
    void step_zeroGradient_decaysOnlyParametersMarkedForDecay(String name, Function<Double, Optimizer> make) {
        var weight = new Parameter("fc.weight", Nd4j.createFromArray(1.0, -2.0, 3.0), true);
        var bias = new Parameter("fc.bias", Nd4j.createFromArray(1.0, -2.0, 3.0), false);
        var opt = make.apply(0.5);
        opt.step(List.of(weight, bias), 0);
        assertArrayEquals(new double[] {1, -2, 3}, bias.value().toDoubleVector(), 0.0, name + " bias must not decay");
        double norm = weight.value().norm2Number().doubleValue();
        assertTrue(norm < Math.sqrt(14) - 1e-6, name + " weight must shrink, norm " + norm);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decaying")
    void step_leavesGradientUntouched(String name, Function<Double, Optimizer> make) {
        var w = new Parameter("w", Nd4j.createFromArray(0.5, 1.5), true);
        w.gradient().assign(Nd4j.createFromArray(0.25, -0.75));
        var opt = make.apply(0.1);
        opt.step(List.of(w), 0);
        opt.step(List.of(w), 1);
        assertArrayEquals(new double[] {0.25, -0.75}, w.gradient().toDoubleVector(), 0.0, name);
        assertNotEquals(0.5, w.value().getDouble(0), name + " must have moved");
    }

    @Test
    void state_beforeFirstStep_isZeroedLiveAndKeyedBySlot() {
        var w = new Parameter("encoder.0.weight", Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}), true);
        var b = new Parameter("encoder.0.bias", Nd4j.createFromArray(1.0, 2.0), false);
        var adam = Adam.builder(new ConstantSchedule(1e-3)).build();
        Map<String, INDArray> state = adam.state(List.of(w, b));
        assertEquals(List.of("encoder.0.weight/m", "encoder.0.weight/v", "encoder.0.bias/m", "encoder.0.bias/v"),
                List.copyOf(state.keySet()));
        assertArrayEquals(new long[] {2, 2}, state.get("encoder.0.weight/m").shape());
        assertEquals(0.0, state.get("encoder.0.weight/v").sumNumber().doubleValue(), 0.0);
        w.gradient().assign(1.0);
        adam.step(List.of(w, b), 0);
        assertEquals(0.1, state.get("encoder.0.weight/m").getDouble(0, 0), 1e-15, "live array updated by step");
        assertSame(state.get("encoder.0.weight/m"), adam.state(List.of(w, b)).get("encoder.0.weight/m"));
        assertThrows(UnsupportedOperationException.class, () -> state.put("x/m", Nd4j.zeros(1)));
    }

    @Test
    void state_sgdWithoutMomentum_isEmpty_withMomentum_hasBuffer() {
        var w = new Parameter("w", Nd4j.zeros(3), true);
        assertTrue(Sgd.builder(new ConstantSchedule(0.1)).build().state(List.of(w)).isEmpty());
        assertEquals(List.of("w/momentum"), List.copyOf(
                Sgd.builder(new ConstantSchedule(0.1)).momentum(0.9).build().state(List.of(w)).keySet()));
        assertEquals(List.of("w/momentum"), List.copyOf(Lars.builder(new ConstantSchedule(0.1)).build().state(List.of(w)).keySet()));
    }

    @Test
    void adam_zeroLearningRate_advancesMomentsButNotWeights() {
        // Warmup schedules give lr = 0 at step 0: the moments must still advance.
        var w = new Parameter("w", Nd4j.createFromArray(1.0, -1.0), true);
        var adam = Adam.builder(step -> step == 0 ? 0.0 : 0.01).build();
        w.gradient().assign(Nd4j.createFromArray(2.0, -4.0));
        adam.step(List.of(w), 0);
        assertArrayEquals(new double[] {1, -1}, w.value().toDoubleVector(), 0.0);
        var st = adam.state(List.of(w));
        assertArrayEquals(new double[] {0.2, -0.4}, st.get("w/m").toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0.004, 0.016}, st.get("w/v").toDoubleVector(), 1e-15);
        adam.step(List.of(w), 1);
        // Written out in double: t = 2.
        double[] g = {2, -4};
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double m = 0.9 * (0.1 * g[i]) + 0.1 * g[i];
            double v = 0.999 * (0.001 * g[i] * g[i]) + 0.001 * g[i] * g[i];
            double denom = Math.sqrt(v) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8;
            expected[i] = (i == 0 ? 1.0 : -1.0) - 0.01 / (1 - 0.9 * 0.9) * m / denom;
        }
        assertArrayEquals(expected, w.value().toDoubleVector(), 1e-15);
    }

    @Test
    void adam_float32_matchesFloat64WithinSinglePrecision() {
        var d = new Parameter("w", Nd4j.createFromArray(0.3, -0.7, 1.1), true);
        var f = new Parameter("w", Nd4j.createFromArray(0.3f, -0.7f, 1.1f), true);
        var od = AdamW.builder(new ConstantSchedule(0.05)).weightDecay(0.1).build();
        var of = AdamW.builder(new ConstantSchedule(0.05)).weightDecay(0.1).build();
        for (int k = 0; k < 5; k++) {
            d.gradient().assign(d.value().mul(0.5).add(0.1 * k));
            f.gradient().assign(d.gradient().castTo(DataType.FLOAT));
            od.step(List.of(d), k);
            of.step(List.of(f), k);
        }
        assertEquals(DataType.FLOAT, of.state(List.of(f)).get("w/m").dataType());
        assertArrayEquals(d.value().toFloatVector(), f.value().toFloatVector(), 1e-5f);
    }

    @Test
    void step_sameNameDifferentShape_throws() {
        var adam = Adam.builder(new ConstantSchedule(0.1)).build();
        adam.step(List.of(new Parameter("w", Nd4j.zeros(3), true)), 0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> adam.step(List.of(new Parameter("w", Nd4j.zeros(2, 2), true)), 1));
        assertTrue(e.getMessage().startsWith("Adam.step: parameter w is [2, 2] FLOAT but its optimizer state is [3] FLOAT"),
                e.getMessage());
    }

    @Test
    void step_negativeLearningRateFromSchedule_throws() {
        var sgd = Sgd.builder(step -> -0.1).build();
        var e = assertThrows(IllegalArgumentException.class, () -> sgd.step(List.of(), 3));
        assertTrue(e.getMessage().contains("Sgd.step: the learning-rate schedule returned -0.1 at step 3"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Adam.builder(new ConstantSchedule(0.1)).build().step(List.of(), -1));
        assertTrue(e2.getMessage().contains("Adam.step: step must be >= 0, got -1"), e2.getMessage());
    }

    @Test
    void builders_badArguments_throwWithClearMessages() {
        var lr = new ConstantSchedule(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> Sgd.builder(lr).momentum(1.0));
        assertEquals("Sgd.Builder.momentum: momentum must be in [0, 1), got 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sgd.builder(lr).momentum(-0.1));
        e = assertThrows(IllegalArgumentException.class, () -> Sgd.builder(lr).nesterov(true).build());
        assertTrue(e.getMessage().contains("nesterov needs momentum > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sgd.builder(lr).weightDecay(-1e-4));
        assertEquals("Sgd.Builder.weightDecay: weightDecay must be finite and >= 0, got -1.0E-4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.builder(lr).betas(0.9, 1.0));
        assertEquals("Adam.Builder.betas: beta2 must be in [0, 1), got 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder(lr).betas(-0.1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder(lr).epsilon(0));
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder(lr).weightDecay(Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> Lars.builder(lr).eta(0));
        assertEquals("Lars.Builder.eta: eta must be finite and > 0, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lars.builder(lr).momentum(1.5));
        e = assertThrows(IllegalArgumentException.class, () -> Lars.builder(null));
        assertEquals("Lars.builder: schedule must not be null", e.getMessage());
    }

    @Test
    void defaults_areThePapersAndTorchs() {
        var lr = new ConstantSchedule(0.1);
        var adam = Adam.builder(lr).build();
        assertEquals(0.9, adam.beta1(), 0.0);
        assertEquals(0.999, adam.beta2(), 0.0);
        assertEquals(1e-8, adam.epsilon(), 0.0);
        assertEquals(0.0, adam.weightDecay(), 0.0);
        assertEquals(0.01, AdamW.builder(lr).build().weightDecay(), 0.0);
        var lars = Lars.builder(lr).build();
        assertEquals(0.001, lars.eta(), 0.0);
        assertEquals(0.9, lars.momentum(), 0.0);
        assertEquals(0.1, lars.learningRate(7), 0.0);
        assertEquals(0.0, Sgd.builder(lr).build().momentum(), 0.0);
    }

    @Test
    void adamFamily_oneBuilder_buildsTheClassItCameFromWithItsDecayMode() {
        var lr = new ConstantSchedule(0.1);
        Adam adam = Adam.builder(lr).weightDecay(0.1).build();
        Adam adamW = AdamW.builder(lr).weightDecay(0.1).build();
        assertEquals(Adam.class, adam.getClass());
        assertEquals(AdamW.class, adamW.getClass());
        assertEquals(Adam.WeightDecayMode.COUPLED_L2, adam.weightDecayMode());
        assertEquals(Adam.WeightDecayMode.DECOUPLED, adamW.weightDecayMode());
        assertEquals(AdamW.DEFAULT_WEIGHT_DECAY, AdamW.builder(lr).build().weightDecay(), 0.0);
        assertEquals(Adam.DEFAULT_WEIGHT_DECAY, Adam.builder(lr).build().weightDecay(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> AdamW.builder(lr).betas(0.9, 1.0));
        assertEquals("AdamW.Builder.betas: beta2 must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AdamW.builder(null));
        assertEquals("AdamW.builder: schedule must not be null", e.getMessage());
    }
}
