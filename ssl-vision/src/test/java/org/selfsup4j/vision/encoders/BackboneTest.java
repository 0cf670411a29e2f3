package org.selfsup4j.vision.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Parameter;

class BackboneTest {
    private static long count(Backbone b) {
        long n = 0;
        for (Parameter p : b.module().parameters()) {
            n += p.value().length();
        }
        return n;
    }

    @Test
    void convnet_outputShapeAndParameterCount() {
        Backbone b = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 8, DataType.FLOAT, 1).build();
        assertEquals(64, b.featureDim());
        INDArray y = b.module().forward(Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16), true);
        assertArrayEquals(new long[] {2, 64}, y.shape());
        // convs (no bias) + BN scale/shift: 3*8*9 + 8*16*9 + 16*32*9 + 32*64*9 + 2*(8+16+32+64)
        assertEquals(3 * 8 * 9 + 8 * 16 * 9 + 16 * 32 * 9 + 32 * 64 * 9 + 2 * (8 + 16 + 32 + 64), count(b));
    }

    @Test
    void resnet18_standardWidth_hasElevenMillionParameters() {
        Backbone b = ResNet18.build(3, 1.0, DataType.FLOAT, 1);
        assertEquals(512, b.featureDim());
        // torchvision resnet18 without fc (11,176,512) minus the 7x7 stem (9,408) plus a 3x3 stem (1,728).
        assertEquals(11_176_512L - 9_408 + 1_728, count(b));
    }

    @Test
    void resnet18_narrow_runsOnSmallImages() {
        Backbone b = new BackboneSpec(BackboneSpec.Kind.RESNET18, 1, 4, DataType.FLOAT, 3).build();
        assertEquals(32, b.featureDim());
        INDArray y = b.module().forward(Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16), true);
        assertArrayEquals(new long[] {2, 32}, y.shape());
    }

    @Test
    void sameSeed_sameWeights_differentSeed_different() {
        BackboneSpec s = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 7);
        INDArray a = s.build().module().parameters().get(0).value();
        INDArray b = s.build().module().parameters().get(0).value();
        INDArray c = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 8).build().module()
                .parameters().get(0).value();
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    @Test
    void heads_shapes() {
        SplittableRandom rng = new SplittableRandom(1);
        Mlp two = Heads.simclrProjection(16, 32, 8, 2, DataType.FLOAT, rng);
        Mlp three = Heads.simclrProjection(16, 32, 8, 3, DataType.FLOAT, rng);
        assertArrayEquals(new int[] {16, 32, 8}, two.dims());
        assertArrayEquals(new int[] {16, 32, 32, 8}, three.dims());
        assertArrayEquals(new int[] {8, 32, 8}, Heads.predictor(8, 32, DataType.FLOAT, rng).dims());
        assertArrayEquals(new long[] {4, 8}, three.forward(Nd4j.rand(DataType.FLOAT, 4, 16), true).shape());
        assertThrows(IllegalArgumentException.class, () -> Heads.simclrProjection(16, 32, 8, 4, DataType.FLOAT, rng));
    }

    @Test
    void spec_badArguments_throw() {
        assertThrows(IllegalArgumentException.class,
                () -> new BackboneSpec(BackboneSpec.Kind.CONVNET, 2, 8, DataType.FLOAT, 1));
        assertThrows(IllegalArgumentException.class, () -> BackboneSpec.parseKind("vgg"));
        assertEquals(BackboneSpec.Kind.RESNET18, BackboneSpec.parseKind("ResNet18"));
    }
}
