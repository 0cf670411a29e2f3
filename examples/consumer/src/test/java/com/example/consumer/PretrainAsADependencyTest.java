package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;

/** What a user's project does with selfsup4j from Maven: assemble a method, train, embed. */
class PretrainAsADependencyTest {

    @Test
    void simclr_fromTheInstalledArtifacts_trainsAndEmbeds() {
        Nd4j.getRandom().setSeed(1);
        BackboneSpec spec = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 8, DataType.FLOAT, 1);
        Normalize normalize = new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        PretrainSetup simclr = Methods.assemble("simclr", new MethodConfig(spec, 32, 2, 1e-3, 0, 0, normalize));
        Trainer trainer = new Trainer(Trainer.Config.of(1, 2), simclr.encoder(), simclr.objective(),
                simclr.optimizer());
        for (int i = 0; i < 2; i++) {
            INDArray view1 = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32);
            INDArray view2 = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32);
            StepReport r = trainer.step(List.of(view1, view2), 1);
            assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
        }
        INDArray features = simclr.backbone().module().forward(Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32), false);
        assertEquals(4, features.size(0));
        assertEquals(simclr.backbone().featureDim(), features.size(1));
    }
}
