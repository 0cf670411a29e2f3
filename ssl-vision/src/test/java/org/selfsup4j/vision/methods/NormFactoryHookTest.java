package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.NormFactory;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.vision.encoders.BackboneSpec;

/**
 * {@code MethodConfig.withNorm}: the norm factory builds every batch norm of SimCLR's, VICReg's and
 * Barlow Twins' trained network (backbone and head), the default gives the network of before, and the
 * assemblies that cannot take another norm refuse it instead of ignoring it.
 */
class NormFactoryHookTest {
    private static MethodConfig config(BackboneSpec.Kind kind) {
        return new MethodConfig(new BackboneSpec(kind, 3, 4, DataType.FLOAT, 7), 16, 10, 1e-3, 8, 4,
                new Normalize(Normalize.CIFAR10_MEAN, Normalize.CIFAR10_STD));
    }

    /** A factory that builds the library's BatchNorm and records each layer's channels. */
    private static final class Recording implements NormFactory {
        final List<Integer> channels = new ArrayList<>();

        @Override
        public org.selfsup4j.core.nn.Module create(int c, boolean affine, DataType dtype) {
            channels.add(c);
            return new BatchNorm(c, affine, dtype);
        }
    }

    @Test
    void theFactoryBuildsEveryBatchNormOfBackboneAndHead() {
        Recording simclr = new Recording();
        Methods.assemble("simclr", config(BackboneSpec.Kind.CONVNET).withNorm(simclr));
        // the ConvNet's four stages (4-8-16-32), then the head's hidden layer (MethodConfig hidden = 8)
        assertEquals(List.of(4, 8, 16, 32, 8), simclr.channels);
        Recording vicreg = new Recording();
        Methods.assemble("vicreg", config(BackboneSpec.Kind.CONVNET).withNorm(vicreg));
        assertEquals(List.of(4, 8, 16, 32, 8, 8), vicreg.channels, "the expander's two hidden batch norms");
    }

    @Test
    void theDefaultFactoryGivesTheSameNetworkAsBefore() {
        List<Parameter> a = Methods.assemble("simclr", config(BackboneSpec.Kind.CONVNET)).encoder().parameters();
        List<Parameter> b = Methods.assemble("simclr", config(BackboneSpec.Kind.CONVNET).withNorm(new Recording()))
                .encoder().parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            INDArray x = a.get(i).value();
            assertArrayEquals(x.dup().data().asFloat(), b.get(i).value().dup().data().asFloat(), a.get(i).name());
        }
    }

    @Test
    void assembliesThatCannotTakeAnotherNormRefuseIt() {
        for (String method : List.of("moco-v2", "byol", "ae")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Methods.assemble(method, config(BackboneSpec.Kind.CONVNET).withNorm(new Recording())));
            assertTrue(e.getMessage().contains("NormFactory.BATCH_NORM"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Methods.assemble("simclr", config(BackboneSpec.Kind.RESNET18).withNorm(new Recording())));
    }
}
