package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.DivergenceMonitor;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.core.train.Trainer;

class RunHealthTest {

    /** NaN on step 0, then a loss pinned at chance with zero gradients. */
    private static final class StuckObjective implements Objective {
        @Override
        public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
            double loss = context.step() == 0 ? Double.NaN : chanceLoss(embeddings.get(0).size(0));
            return new ObjectiveOutput(loss, List.of(Nd4j.zerosLike(embeddings.get(0)), Nd4j.zerosLike(embeddings.get(1))));
        }

        @Override
        public double chanceLoss(long batchSize) {
            return Math.log(2.0 * batchSize - 1);
        }
    }

    @Test
    void fields_recordSkippedStepsWithReasons_andWarnings_inResultsJson(@TempDir Path dir) throws Exception {
        Trainer trainer = new Trainer(Trainer.Config.of(1, 5).withDivergence(DivergenceMonitor.Config.defaults()
                .withPatience(2)), Encoder.of(new Linear(4, 4, 1)), new StuckObjective(),
                Adam.builder(new ConstantSchedule(1e-3)).build());
        List<INDArray> views = List.of(Nd4j.rand(DataType.FLOAT, 6, 4), Nd4j.rand(DataType.FLOAT, 6, 4));
        for (int s = 0; s < 5; s++) {
            trainer.step(views, 1);
        }
        Path file = dir.resolve("results.json");
        ResultsFile.write(file, RunHealth.fields(trainer));
        Map<String, Object> read = ResultsFile.read(file);
        assertEquals(List.of(Map.of("step", 0, "reason", "NON_FINITE_LOSS")), read.get("skipped_steps"));
        List<?> warnings = (List<?>) read.get("warnings");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).toString().contains("chance value"), warnings.toString());
    }
}
