package org.selfsup4j.vision.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.kernel.ConvAlgorithm;
import org.selfsup4j.core.kernel.Parallel;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.objective.SimClrObjective;

/**
 * Training results do not depend on the thread count: SimCLR steps of a half-width ResNet-18 in
 * float32 with 1, 2, 3 and 8 threads leave bit-identical parameters, batch-norm statistics and
 * optimizer state, on the direct convolution path (the default) and under {@code selfsup4j.conv=auto}
 * (Winograd F(2x2, 3x3) for the 3x3 stride-1 layers of 8x8 and larger with 64-128 channels). At 16
 * images of 32x32 per view the convolutions, batch norm's channel passes and the loss kernels all take
 * their parallel paths.
 */
class ResNetThreadCountTest {
    private static final int BATCH = 16;
    private static final int SIZE = 32;
    private static final int STEPS = 2;

    @ParameterizedTest
    @ValueSource(strings = {ConvAlgorithm.DIRECT, ConvAlgorithm.AUTO})
    void resnetSteps_withOneTwoThreeAndEightThreads_leaveBitIdenticalState(String convolutions) {
        int before = Parallel.threads();
        String algorithm = ConvAlgorithm.get();
        try {
            ConvAlgorithm.set(convolutions);
            Map<String, float[]> one = train(1);
            for (int threads : new int[] {2, 3, 8}) {
                Map<String, float[]> other = train(threads);
                assertEquals(one.keySet(), other.keySet());
                for (String key : one.keySet()) {
                    assertArrayEquals(one.get(key), other.get(key), key + " differs between 1 and " + threads
                            + " threads (" + convolutions + ")");
                }
            }
        } finally {
            Parallel.setThreads(before);
            ConvAlgorithm.set(algorithm);
        }
    }

    private static Map<String, float[]> train(int threads) {
        Parallel.setThreads(threads);
        Encoder encoder = Encoder.of(ResNet18.build(3, 0.5, DataType.FLOAT, 7).module());
        Trainer trainer = new Trainer(Trainer.Config.of(1, STEPS), encoder, new SimClrObjective(0.5),
                Adam.builder(new ConstantSchedule(1e-3)).build());
        Nd4j.getRandom().setSeed(42);
        List<INDArray> views = List.of(Nd4j.randn(DataType.FLOAT, BATCH, 3, SIZE, SIZE),
                Nd4j.randn(DataType.FLOAT, BATCH, 3, SIZE, SIZE));
        for (int s = 0; s < STEPS; s++) {
            trainer.step(views, 1);
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        trainer.stateArrays().forEach((k, v) -> state.put(k, v.castTo(DataType.FLOAT).dup().data().asFloat()));
        return state;
    }
}
