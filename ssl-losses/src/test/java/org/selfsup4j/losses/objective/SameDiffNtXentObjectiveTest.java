package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;

/** The SameDiff graph of NT-Xent agrees with the hand-written kernel behind {@link SimClrObjective}. */
class SameDiffNtXentObjectiveTest {
    private static final StepContext CONTEXT = new StepContext(0, 1, 0, 7);

    @Test
    void compute_matchesSimClrKernel_lossAndGradients() {
        Nd4j.getRandom().setSeed(11);
        INDArray z1 = Nd4j.randn(DataType.DOUBLE, 6, 5);
        INDArray z2 = Nd4j.randn(DataType.DOUBLE, 6, 5);
        ObjectiveOutput graph = new SameDiffNtXentObjective(0.5).compute(List.of(), List.of(z1.dup(), z2.dup()), CONTEXT);
        ObjectiveOutput kernel = new SimClrObjective(0.5).compute(List.of(), List.of(z1.dup(), z2.dup()), CONTEXT);
        assertEquals(kernel.loss(), graph.loss(), 1e-9);
        for (int v = 0; v < 2; v++) {
            double diff = graph.embeddingGradients().get(v).sub(kernel.embeddingGradients().get(v)).norm2Number().doubleValue();
            assertTrue(diff < 1e-9, "view " + v + " gradient differs by " + diff);
        }
    }

    @Test
    void constructor_nonPositiveTemperature_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SameDiffNtXentObjective(0));
        assertTrue(e.getMessage().startsWith("SameDiffNtXentObjective: temperature"), e.getMessage());
    }
}
