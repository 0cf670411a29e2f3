package org.selfsup4j.speech.model.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Buffer reuse and initialisation shared by the speech blocks (argument checks: core {@code Checks}). */
final class Support {
    private Support() {
    }

    /** The cached array if it has this type and shape, else a new zeroed one. */
    static INDArray reuse(INDArray cached, DataType dtype, long... shape) {
        if (cached != null && cached.dataType() == dtype && Arrays.equals(cached.shape(), shape)) {
            return cached;
        }
        return Nd4j.create(dtype, shape);
    }

    static String shape(INDArray a) {
        return Arrays.toString(a.shape());
    }

    /** U(-bound, bound) of the given shape, drawn in c order. */
    static INDArray uniform(SplittableRandom rng, double bound, DataType dtype, long... shape) {
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

    /** N(0, std^2) of the given shape (Box-Muller on the given generator), drawn in c order. */
    static INDArray normal(SplittableRandom rng, double std, DataType dtype, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] data = new double[Math.toIntExact(n)];
        for (int i = 0; i < data.length; i++) {
            data[i] = std * gaussian(rng);
        }
        return Nd4j.create(data, shape, 'c').castTo(dtype);
    }

    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A contiguous c-order view, copying only when {@code a} is strided. */
    static INDArray contiguous(INDArray a, long... shape) {
        INDArray src = isContiguousC(a) ? a : a.dup('c');
        return src.reshape('c', shape);
    }

    static boolean isContiguousC(INDArray a) {
        if (a.ordering() != 'c') {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
