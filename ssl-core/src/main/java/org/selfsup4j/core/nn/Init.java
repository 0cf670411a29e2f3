package org.selfsup4j.core.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Initial parameter values of the layers, drawn from the caller's seeded generator. */
final class Init {
    private Init() {
    }

    /** PyTorch's default for Linear and Conv weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    static INDArray uniformFanIn(SplittableRandom rng, long fanIn, DataType dtype, long... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] data = new double[Math.toIntExact(n)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextDouble(-bound, bound);
        }
        return Nd4j.create(data, shape, 'c').castTo(dtype);
    }
}
