package org.selfsup4j.core.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers of the blocks: initialisation, buffer reuse, argument checks. */
final class NnSupport {
    private NnSupport() {
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

    static void checkFloatType(String where, DataType dtype) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + ": data type must be FLOAT or DOUBLE, got " + dtype);
        }
    }

    static void checkPositive(String where, String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(where + ": " + what + " must be positive, got " + value);
        }
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

    static void checkNotNull(String where, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(where + ": input is null");
        }
    }

    static void checkNonEmpty(String where, INDArray a) {
        if (a.length() == 0) {
            throw new IllegalArgumentException(where + ": input is empty, shape " + shape(a));
        }
    }

    static void checkType(String where, INDArray a, DataType expected) {
        if (a.dataType() != expected) {
            throw new IllegalArgumentException(where + ": expected data type " + expected + " (the module's), got "
                    + a.dataType() + " for shape " + shape(a));
        }
    }

    static void checkGradShape(String where, INDArray grad, long[] expected) {
        if (grad == null) {
            throw new IllegalArgumentException(where + ": gradOutput is null");
        }
        if (!Arrays.equals(grad.shape(), expected)) {
            throw new IllegalArgumentException(where + ": gradOutput must have the last output's shape "
                    + Arrays.toString(expected) + ", got " + shape(grad));
        }
    }

    static IllegalStateException noForward(String where) {
        return new IllegalStateException(where + ": backward called before forward");
    }

    /** A c-order contiguous view of {@code a} with the given shape, copying only if {@code a} is strided. */
    static INDArray view(INDArray a, long... shape) {
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

    /** dx = dy * (x > 0), through libnd4j's relu_bp into a preallocated output. */
    static void reluBackward(INDArray input, INDArray gradOutput, INDArray gradInput) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp")
                .addInputs(input, gradOutput)
                .addOutputs(gradInput)
                .addFloatingPointArguments(0.0)
                .build());
    }
}
