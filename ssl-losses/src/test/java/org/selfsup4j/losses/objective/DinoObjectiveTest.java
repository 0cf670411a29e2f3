package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.objective.ObjectiveChecks.assertClose;
import static org.selfsup4j.losses.objective.ObjectiveChecks.assertNoGradient;
import static org.selfsup4j.losses.objective.ObjectiveChecks.gaussian;
import static org.selfsup4j.losses.objective.ObjectiveChecks.linear;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.optim.CosineMomentumSchedule;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.DinoLoss;
import org.selfsup4j.losses.DinoTeacherTemperature;

/** DINO: the student's crops against the EMA teacher's global crops; center, teacher and temperature are run state. */
class DinoObjectiveTest {
    private static final int N = 4;
    private static final int IN = 6;
    private static final int K = 5;
    private static final int CROPS = 4;

    private static DinoObjective objective(Linear student, Linear teacher, DataType type) {
        return new DinoObjective(student, teacher, new DinoLoss(K, CROPS, 0.1, 0.9, type),
                new DinoTeacherTemperature(0.04, 0.07, 3), new CosineMomentumSchedule(0.996, 1.0, 10));
    }

    @Test
    void value_isDinoLossOfTheStudentCropsAgainstTheTeachersGlobalCrops() {
        Linear teacher = linear(IN, K, 2, DataType.DOUBLE);
        DinoObjective o = objective(linear(IN, K, 1, DataType.DOUBLE), teacher, DataType.DOUBLE);
        List<INDArray> x = gaussian(CROPS, N, IN, 40, DataType.DOUBLE);
        List<INDArray> e = gaussian(CROPS, N, K, 41, DataType.DOUBLE);
        ObjectiveOutput out = o.compute(x, e, new StepContext(5, 10, 2, 1));
        // the teacher starts as the student's copy (seed 1); epoch 2 of a 3-epoch warm-up: the end, 0.07
        Linear student = linear(IN, K, 1, DataType.DOUBLE);
        INDArray t = student.forward(Nd4j.concat(0, x.get(0), x.get(1)), true).dup();
        double expected = new DinoLoss(K, CROPS, 0.1, 0.9, DataType.DOUBLE).compute(Nd4j.concat(0, e.toArray(INDArray[]::new)),
                t, 0.07).value();
        assertEquals(expected, out.loss(), 1e-12);
        assertEquals(0.07, out.metrics().get("teacher_temperature"), 1e-15);
        assertNoGradient("teacher", teacher);
        // the center moved towards the teacher's mean output
        assertNotEquals(0.0, o.state().get("center").amaxNumber().doubleValue());
    }

    @Test
    void studentGradient_ofGlobalAndLocalCrops_matchesFiniteDifferences() {
        DinoObjective o = objective(linear(IN, K, 1, DataType.DOUBLE), linear(IN, K, 2, DataType.DOUBLE),
                DataType.DOUBLE);
        List<INDArray> x = gaussian(CROPS, N, IN, 50, DataType.DOUBLE);
        // logits of order 0.3: at tau_s = 0.1 unit logits make the loss curved enough that the
        // differences' truncation error nears the tolerance
        List<INDArray> e = gaussian(CROPS, N, K, 51, DataType.DOUBLE).stream().map(a -> a.muli(0.3)).toList();
        StepContext ctx = new StepContext(0, 10, 0, 1);
        // a center that is not zero, so the numeric loss sees the same center at every call
        o.state().get("center").assign(Nd4j.linspace(-0.2, 0.2, K, DataType.DOUBLE).reshape(1, K));
        var saved = ObjectiveChecks.saved(o);
        ObjectiveOutput out = o.compute(x, e, ctx);
        ObjectiveChecks.restore(o, saved);
        for (int v : new int[] {0, 3}) {
            INDArray analytic = out.embeddingGradients().get(v).dup();
            INDArray numeric = ObjectiveChecks.numeric(o, e.get(v).dup(), z -> {
                List<INDArray> moved = new ArrayList<>(e);
                moved.set(v, z);
                return o.compute(x, moved, ctx).loss();
            });
            assertClose("dL/ds" + v, analytic, numeric);
        }
    }

    @Test
    void teacherTemperature_warmsUpByEpoch() {
        DinoObjective o = objective(linear(IN, K, 1, DataType.DOUBLE), linear(IN, K, 2, DataType.DOUBLE),
                DataType.DOUBLE);
        List<INDArray> x = gaussian(CROPS, N, IN, 60, DataType.DOUBLE);
        List<INDArray> e = gaussian(CROPS, N, K, 61, DataType.DOUBLE);
        assertEquals(0.04, o.compute(x, e, new StepContext(0, 10, 0, 1)).metrics().get("teacher_temperature"), 1e-15);
        assertEquals(0.055, o.compute(x, e, new StepContext(3, 10, 1, 1)).metrics().get("teacher_temperature"), 1e-15);
    }

    @Test
    void compute_wrongCropCount_throwsNamingTheExpectedCount() {
        DinoObjective o = objective(linear(IN, K, 1, DataType.DOUBLE), linear(IN, K, 2, DataType.DOUBLE),
                DataType.DOUBLE);
        List<INDArray> x = gaussian(2, N, IN, 1, DataType.DOUBLE);
        List<INDArray> e = gaussian(2, N, K, 1, DataType.DOUBLE);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> o.compute(x, e, new StepContext(0, 10, 0, 1)));
        assertTrue(ex.getMessage().contains("expected 4 crops") && ex.getMessage().contains("got 2"), ex.getMessage());
    }

    @Test
    void resume_fromASnapshot_continuesBitForBit_teacherAndCenterIncluded() {
        ObjectiveChecks.assertResumesBitExactly(() -> {
            Linear student = linear(IN, K, 1, DataType.FLOAT);
            return new ObjectiveChecks.Run(student, objective(student, linear(IN, K, 2, DataType.FLOAT), DataType.FLOAT));
        }, ObjectiveChecks.noisyViews(CROPS, 8, IN, DataType.FLOAT), 3, 3);
    }
}
