package org.selfsup4j.core.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.Seeds;

/**
 * Initial parameter values of the layers, drawn from the caller's seeded generator in c order
 * (in double precision, then cast), so a layer's initial weights depend only on that generator.
 */
public final class Init {
    private Init() {
    }

    /**
     * PyTorch's default for Linear and Conv weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     *
     * @param rng the generator
     * @param fanIn inputs per output unit
     * @param dtype the data type of the result
     * @param shape its shape
     * @return a new array
     */
    public static INDArray uniformFanIn(SplittableRandom rng, long fanIn, DataType dtype, long... shape) {
        return uniform(rng, 1.0 / Math.sqrt(fanIn), dtype, shape);
    }

    /**
     * U(-bound, bound).
     *
     * @param rng the generator
     * @param bound half the width of the interval
     * @param dtype the data type of the result
     * @param shape its shape
     * @return a new array
     */
    public static INDArray uniform(SplittableRandom rng, double bound, DataType dtype, long... shape) {
        double[] data = new double[count(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextDouble(-bound, bound);
        }
        return Nd4j.create(data, shape, 'c').castTo(dtype);
    }

    /**
     * N(0, std^2), by {@link Seeds#gaussian}.
     *
     * @param rng the generator
     * @param std the standard deviation
     * @param dtype the data type of the result
     * @param shape its shape
     * @return a new array
     */
    public static INDArray normal(SplittableRandom rng, double std, DataType dtype, long... shape) {
        double[] data = new double[count(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = std * Seeds.gaussian(rng);
        }
        return Nd4j.create(data, shape, 'c').castTo(dtype);
    }

    /**
     * N(0, std^2) truncated to [-2 std, 2 std] by redrawing, the {@code trunc_normal_(std=0.02)} of
     * timm's and DeiT's transformers (their bounds are the absolute [-2, 2], which at std 0.02 never
     * cut; here they scale with std, so the draw is a truncated normal at any std).
     *
     * @param rng the generator
     * @param std the standard deviation before truncation
     * @param dtype the data type of the result
     * @param shape its shape
     * @return a new array
     */
    public static INDArray truncatedNormal(SplittableRandom rng, double std, DataType dtype, long... shape) {
        double[] data = new double[count(shape)];
        for (int i = 0; i < data.length; i++) {
            double z;
            do {
                z = Seeds.gaussian(rng);
            } while (Math.abs(z) > 2);
            data[i] = std * z;
        }
        return Nd4j.create(data, shape, 'c').castTo(dtype);
    }

    private static int count(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }
}
