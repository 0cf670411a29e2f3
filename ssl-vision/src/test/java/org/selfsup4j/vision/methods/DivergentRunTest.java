package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.train.BatchSource;
import org.selfsup4j.core.train.DivergenceException;
import org.selfsup4j.core.train.DivergenceMonitor;
import org.selfsup4j.core.train.DivergenceWarning;
import org.selfsup4j.core.train.NonFiniteLossException;
import org.selfsup4j.core.train.Trainer;

/** Runs with absurd learning rates: the trainer must leave finite state behind and say what went wrong. */
class DivergentRunTest {
    private static final List<FloatImage> IMAGES = MethodTrainingTest.images(MethodTrainingTest.BATCH, 11);

    private static PretrainSetup setup(String method, double lr, long steps) {
        MethodConfig c = MethodTrainingTest.config(steps);
        return Methods.assemble(method, new MethodConfig(c.backbone(), c.imageSize(), steps, lr, c.hidden(), c.out(),
                c.normalize()));
    }

    /** The same images every step, with the step's augmentations. */
    private static BatchSource source(PretrainSetup setup) {
        return new BatchSource() {
            @Override
            public List<INDArray> views(long step) {
                return ImageCollate.collate(IMAGES.stream().map(im -> setup.views().views(im, 1, step, 0)).toList(),
                        new int[IMAGES.size()]).toINDArrays();
            }

            @Override
            public long stepsPerEpoch() {
                return 1;
            }
        };
    }

    @Test
    void autoencoder_atLr1e35_emergencyCheckpointHasFiniteDecoderBatchNormStatistics(@TempDir Path dir) throws Exception {
        PretrainSetup setup = setup("ae", 1e35, 20);
        Trainer trainer = new Trainer(Trainer.Config.of(3, 20).withCheckpoints(dir, 0), setup.encoder(),
                setup.objective(), setup.optimizer());
        assertThrows(NonFiniteLossException.class, () -> trainer.fit(source(setup)));
        assertFalse(trainer.skippedSteps().isEmpty());
        CheckpointStore store = new CheckpointStore(dir, 3);
        Checkpoint emergency = store.load(store.list().get(store.list().size() - 1));
        boolean sawDecoderBuffer = false;
        for (Map.Entry<String, INDArray> e : emergency.arrays().entrySet()) {
            if (e.getValue().dataType().isFPType()) {
                assertFalse(e.getValue().isNaN().any() || e.getValue().isInfinite().any(), e.getKey() + " is not finite");
            }
            sawDecoderBuffer |= e.getKey().startsWith("objective/decoder/") && e.getKey().contains("running_var");
        }
        assertTrue(sawDecoderBuffer, "the decoder's batch-norm statistics are checkpointed: " + emergency.arrays().keySet());
    }

    @Test
    void simclr_atLr1e6_warnsOfDivergence_andStopsWhenAsked(@TempDir Path dir) throws Exception {
        PretrainSetup setup = setup("simclr", 1e6, 40);
        DivergenceMonitor.Config monitor = DivergenceMonitor.Config.defaults().withPatience(5).withStopOnDivergence(true);
        Trainer trainer = new Trainer(Trainer.Config.of(3, 40).withCheckpoints(dir, 0).withDivergence(monitor),
                setup.encoder(), setup.objective(), setup.optimizer());
        // BN running variances reach ~1e25 within a few steps while every number stays finite
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.fit(source(setup)));
        assertEquals(List.of(e.warning()), trainer.warnings().subList(0, 1));
        assertTrue(e.checkpoint() != null && new CheckpointStore(dir, 3).load(e.checkpoint()).arrays().size() > 0);
        assertTrue(List.of(DivergenceWarning.Kind.values()).contains(e.warning().kind()));
    }
}
