package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CompositeTest {
    private static final DataType D = DataType.DOUBLE;

    private static List<String> names(Module m) {
        return m.parameters().stream().map(Parameter::name).toList();
    }

    @Test
    void sequential_namesParametersAndBuffersByIndexOrName() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential s = new Sequential(new Conv2d(1, 2, 3, 1, 1, true, D, rng), new BatchNorm(2, true, D), new ReLU());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), names(s));
        assertEquals(List.of("1.running_mean", "1.running_var"), List.copyOf(s.buffers().keySet()));
        Sequential named = Sequential.builder().add("stem", new Linear(3, 2, true, D, rng)).add(new ReLU()).build();
        assertEquals(List.of("stem.weight", "stem.bias"), names(named));
        assertEquals(List.of("stem", "1"), named.names());
        assertThrows(IllegalArgumentException.class,
                () -> Sequential.builder().add("a", new ReLU()).add("a", new ReLU()).build());
        assertThrows(IllegalStateException.class, () -> s.backward(GradientCheck.randn(1, 1, 2, 3, 3)));
    }

    @Test
    void residualBlock_namesParametersAndBuffersAsTorchInChildOrder() {
        ResidualBlock down = new ResidualBlock(2, 3, 2, D, new SplittableRandom(4));
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
                "downsample.0.weight", "downsample.1.weight", "downsample.1.bias"), names(down));
        assertEquals(List.of("bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var",
                "downsample.1.running_mean", "downsample.1.running_var"), List.copyOf(down.buffers().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> down.buffers().clear());
    }

    @Test
    void sequential_tinyEncoder_gradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        Sequential s = new Sequential(new Conv2d(1, 2, 3, 1, 1, true, D, rng), new BatchNorm(2, true, D), new ReLU(),
                new Conv2d(2, 3, 3, 2, 1, true, D, rng), new GELU(), new GlobalAvgPool(), new Linear(3, 2, true, D, rng));
        // seven layers deep: finite differences round at ~1e-6 relative on the smallest entries
        GradientCheck.check(s, GradientCheck.randn(3, 3, 1, 5, 5), true, 2e-5);
        GradientCheck.check(s, GradientCheck.randn(4, 3, 1, 5, 5), false, 2e-5);
    }

    @Test
    void residualBlock_gradients_matchFiniteDifferences() {
        ResidualBlock same = new ResidualBlock(2, 2, 1, D, new SplittableRandom(3));
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias"), names(same));
        GradientCheck.check(same, GradientCheck.randn(5, 2, 2, 4, 4), true);
        ResidualBlock down = new ResidualBlock(2, 3, 2, D, new SplittableRandom(4));
        assertTrue(names(down).containsAll(List.of("downsample.0.weight", "downsample.1.weight", "downsample.1.bias")));
        assertTrue(down.buffers().containsKey("downsample.1.running_var"));
        INDArray x = GradientCheck.randn(6, 2, 2, 4, 4);
        assertArrayEquals(new long[] {2, 3, 2, 2}, down.forward(x, true).shape());
        GradientCheck.check(down, x, true);
        GradientCheck.check(down, x, false);
        var e = assertThrows(IllegalArgumentException.class, () -> down.forward(GradientCheck.randn(1, 3, 3, 5, 5), true));
        assertEquals("ResidualBlock.forward: expected input [N, 2, H, W], got [3, 3, 5, 5]", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ResidualBlock(2, 2, 1, D, new SplittableRandom(1)).backward(x));
    }

    @Test
    void mlp_heads_haveExpectedLayoutAndGradients() {
        Mlp simclr = new Mlp(new int[] {4, 6, 3}, true, false, false, D, new SplittableRandom(5));
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.weight", "3.bias"), names(simclr));
        GradientCheck.check(simclr, GradientCheck.randn(7, 3, 4), true);
        Mlp byol = new Mlp(new int[] {3, 5, 3}, true, true, false, D, new SplittableRandom(6));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), names(byol));
        assertArrayEquals(new long[] {3, 3}, byol.forward(GradientCheck.randn(8, 3, 3), true).shape());
        Mlp mocoV3 = new Mlp(new int[] {4, 5, 5, 3}, true, false, true, D, new SplittableRandom(7));
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.weight", "4.weight", "4.bias", "6.weight"), names(mocoV3));
        assertEquals(6, mocoV3.buffers().size());
        GradientCheck.check(mocoV3, GradientCheck.randn(9, 4, 4), true);
        var e = assertThrows(IllegalArgumentException.class, () -> simclr.forward(GradientCheck.randn(1, 3, 5), true));
        assertEquals("Mlp.forward: expected input [N, 4], got [3, 5]", e.getMessage());
    }

    @Test
    void sameSeed_givesSameNetwork() {
        Mlp a = new Mlp(new int[] {4, 8, 3}, true, true, false, DataType.FLOAT, new SplittableRandom(42));
        Mlp b = new Mlp(new int[] {4, 8, 3}, true, true, false, DataType.FLOAT, new SplittableRandom(42));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertEquals(a.parameters().get(i).value(), b.parameters().get(i).value());
        }
    }

    @Test
    void residualBlock_repeatedInference_isBitIdentical() {
        ResidualBlock block = new ResidualBlock(3, 4, 2, DataType.FLOAT, new SplittableRandom(9));
        INDArray x = GradientCheck.randn(10, 4, 3, 8, 8).castTo(DataType.FLOAT);
        block.forward(x, true);
        GradientCheck.assertRepeatable(block, x, false);
        GradientCheck.assertRepeatable(block, x, true);
    }
}
