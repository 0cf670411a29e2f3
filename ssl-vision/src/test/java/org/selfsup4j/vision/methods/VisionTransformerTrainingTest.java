package org.selfsup4j.vision.methods;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.vision.encoders.BackboneSpec;

/** The image methods on the ViT backbone (one block at 16x16: 16 patches of 4x4) train a few steps. */
class VisionTransformerTrainingTest {
    static MethodConfig vitConfig(long steps) {
        return new MethodConfig(new BackboneSpec(BackboneSpec.Kind.VIT_TINY, 3, 1, DataType.FLOAT, 5,
                MethodTrainingTest.SIZE, 1), MethodTrainingTest.SIZE, steps, 1e-3, 32, 16,
                new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "mae"})
    void vitTiny_fewSteps_lossFiniteAndDecreasing_backboneMoves(String method) {
        MethodTrainingTest.assertFewStepsTrain(method, vitConfig(8), 8);
    }
}
