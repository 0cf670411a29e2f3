package org.selfsup4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Boundary validation for the whole project, and for users writing their own modules, objectives
 * and transforms: one wording for every message.
 *
 * <p>Every check throws {@link IllegalArgumentException} (a caller's bad argument) whose message
 * names the place, the argument, what was expected and what came, as in
 * {@code "NtXentLoss.compute: z1 must have rank 2 [N, D], got rank 3 with shape [2, 3, 4]"}.
 * {@link #state} throws {@link IllegalStateException} for an object in the wrong state. The message
 * is built only when a check fails, so the checks cost nothing measurable on hot paths.
 *
 * <p>Value checks return their argument, so a constructor can check and assign in one line:
 * {@code this.temperature = Checks.positive("NtXentLoss", "temperature", temperature);}
 */
public final class Checks {
    private Checks() {
    }

    // ---------------------------------------------------------------- generic

    /**
     * @param ok the condition
     * @param where the place, e.g. {@code "Linear.forward"}
     * @param message what was expected and what came
     * @throws IllegalArgumentException {@code where + ": " + message} when {@code ok} is false
     */
    public static void argument(boolean ok, String where, String message) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + message);
        }
    }

    /**
     * @param ok the condition
     * @param where the place
     * @param message what state was expected
     * @throws IllegalStateException {@code where + ": " + message} when {@code ok} is false
     */
    public static void state(boolean ok, String where, String message) {
        if (!ok) {
            throw new IllegalStateException(where + ": " + message);
        }
    }

    /**
     * @param <T> the value's type
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is null
     */
    public static <T> T notNull(String where, String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": " + name + " must not be null");
        }
        return value;
    }

    // ---------------------------------------------------------------- numbers

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value > 0}
     */
    public static int positive(String where, String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be > 0, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value > 0}
     */
    public static long positive(String where, String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be > 0, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value} is finite and {@code > 0}
     */
    public static double positive(String where, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value >= 0}
     */
    public static long nonNegative(String where, String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be >= 0, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value >= 0}
     */
    public static int nonNegative(String where, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be >= 0, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value} is finite and {@code >= 0}
     */
    public static double nonNegative(String where, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is NaN or infinite
     */
    public static double finite(String where, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite, got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param p the value
     * @return {@code p}
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public static double probability(String where, String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(where + ": " + name + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }

    /**
     * A momentum or averaging coefficient.
     *
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code 0 <= value < 1}
     */
    public static double unitInterval(String where, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(where + ": " + name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code min <= value <= max}
     */
    public static double inRange(String where, String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(where + ": " + name + " must be in [" + min + ", " + max + "], got "
                    + value);
        }
        return value;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param value the value
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code min <= value <= max}
     */
    public static long inRange(String where, String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(where + ": " + name + " must be in [" + min + ", " + max + "], got "
                    + value);
        }
        return value;
    }

    /**
     * A positive size split evenly into a positive number of parts: channels into groups, a model
     * dimension into heads. Checks {@code value}, then {@code parts}, as {@link #positive(String, String, int)},
     * then that they divide, as {@link #divisible}.
     *
     * @param where the place
     * @param name the size's name
     * @param value the size
     * @param partsName the name of the number of parts
     * @param parts the number of parts
     * @return the size of one part, {@code value / parts}
     * @throws IllegalArgumentException unless both are positive and {@code parts} divides {@code value}
     */
    public static int parts(String where, String name, int value, String partsName, int parts) {
        positive(where, name, value);
        positive(where, partsName, parts);
        return divisible(where, name, value, partsName, parts) / parts;
    }

    /**
     * A size that another splits evenly: channels into groups, a model dimension into heads.
     *
     * @param where the place
     * @param name the argument's name
     * @param value the argument
     * @param divisorName the divisor's name
     * @param divisor the divisor, &gt; 0
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code divisor} divides {@code value}
     */
    public static int divisible(String where, String name, int value, String divisorName, int divisor) {
        if (value % divisor != 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be divisible by " + divisorName + ", got "
                    + name + " " + value + " and " + divisorName + " " + divisor);
        }
        return value;
    }

    /**
     * An interval argument such as a crop scale or a jitter range.
     *
     * @param where the place
     * @param name the argument's name
     * @param min the interval's lower end
     * @param max the interval's upper end
     * @throws IllegalArgumentException unless both are finite and {@code min <= max}
     */
    public static void orderedRange(String where, String name, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite, got (" + min + ", " + max + ")");
        }
        if (min > max) {
            throw new IllegalArgumentException(where + ": " + name + " must have min <= max, got (" + min + ", " + max
                    + ")");
        }
    }

    // ---------------------------------------------------------------- arrays

    /**
     * @param a an array
     * @return its shape as {@code [2, 3]}
     */
    public static String shape(INDArray a) {
        return Arrays.toString(a.shape());
    }

    /**
     * @param where the place
     * @param type a data type
     * @return {@code type}
     * @throws IllegalArgumentException unless it is FLOAT or DOUBLE
     */
    public static DataType floatType(String where, DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + ": data type must be FLOAT or DOUBLE, got " + type);
        }
        return type;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} is null or neither FLOAT nor DOUBLE
     */
    public static INDArray floating(String where, String name, INDArray x) {
        notNull(where, name, x);
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + ": " + name + " must be FLOAT or DOUBLE, got " + t);
        }
        return x;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} is null or has no elements
     */
    public static INDArray nonEmpty(String where, String name, INDArray x) {
        notNull(where, name, x);
        if (x.isEmpty() || x.length() == 0) {
            throw new IllegalArgumentException(where + ": " + name + " must not be empty, got shape " + shape(x));
        }
        return x;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @param rank the rank expected
     * @param layout the layout expected, e.g. {@code "[N, C, H, W]"}
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} is null or has another rank
     */
    public static INDArray rank(String where, String name, INDArray x, int rank, String layout) {
        notNull(where, name, x);
        if (x.rank() != rank) {
            throw new IllegalArgumentException(where + ": " + name + " must have rank " + rank + " " + layout
                    + ", got rank " + x.rank() + " with shape " + shape(x));
        }
        return x;
    }

    /**
     * A non-null, non-empty rank-2 FLOAT or DOUBLE array, the input of every loss kernel.
     *
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @return {@code x}
     * @throws IllegalArgumentException otherwise
     */
    public static INDArray matrix(String where, String name, INDArray x) {
        rank(where, name, x, 2, "[N, D]");
        if (x.isEmpty() || x.size(0) == 0 || x.size(1) == 0) {
            throw new IllegalArgumentException(where + ": " + name + " must not be empty, got shape " + shape(x));
        }
        return floating(where, name, x);
    }

    /**
     * A non-null, non-empty rank-2 array of any numeric type (floating or integer), the feature
     * matrix of every evaluator.
     *
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @return {@code x}
     * @throws IllegalArgumentException otherwise
     */
    public static INDArray numericMatrix(String where, String name, INDArray x) {
        notNull(where, name, x);
        if (x.rank() != 2 || x.rows() == 0 || x.columns() == 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be a non-empty rank-2 array [N, D], got shape "
                    + shape(x));
        }
        if (!x.dataType().isFPType() && !x.dataType().isIntType()) {
            throw new IllegalArgumentException(where + ": " + name + " must be numeric, got " + x.dataType());
        }
        return x;
    }

    /**
     * Two views of one batch, the input of every two-view loss: both {@link #matrix matrices}, with
     * the same shape and the same data type.
     *
     * @param where the place
     * @param na the first argument's name
     * @param a the first array
     * @param nb the second argument's name
     * @param b the second array
     * @throws IllegalArgumentException otherwise
     */
    public static void matrixPair(String where, String na, INDArray a, String nb, INDArray b) {
        matrix(where, na, a);
        matrix(where, nb, b);
        sameShape(where, na, a, nb, b);
        sameType(where, na, a, nb, b);
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @param min the fewest rows allowed
     * @param why why, e.g. {@code "the unbiased variance needs N >= 2"}
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} has fewer rows
     */
    public static INDArray minRows(String where, String name, INDArray x, long min, String why) {
        if (x.size(0) < min) {
            throw new IllegalArgumentException(where + ": " + name + " must have at least " + min + " rows (" + why
                    + "), got shape " + shape(x));
        }
        return x;
    }

    /**
     * An array size that int index arithmetic can address: kernels that build index views in
     * {@code int} refuse sizes above {@code Integer.MAX_VALUE / 4}, so a product of two such sizes
     * plus an offset cannot wrap round.
     *
     * @param where the place
     * @param name the size's name, e.g. {@code "N"}
     * @param n the size
     * @return {@code n} as an int
     * @throws IllegalArgumentException when it is larger
     */
    public static int intSize(String where, String name, long n) {
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(where + ": " + name + " is too large for int indexing, got " + n);
        }
        return (int) n;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @param expected the data type expected
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} has another data type
     */
    public static INDArray dataType(String where, String name, INDArray x, DataType expected) {
        if (x.dataType() != expected) {
            throw new IllegalArgumentException(where + ": " + name + " must have data type " + expected + ", got "
                    + x.dataType() + " for shape " + shape(x));
        }
        return x;
    }

    /**
     * @param where the place
     * @param name the argument's name
     * @param x the array
     * @param expected the shape expected
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} is null or has another shape
     */
    public static INDArray shapeEquals(String where, String name, INDArray x, long... expected) {
        notNull(where, name, x);
        if (!Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException(where + ": " + name + " must have shape " + Arrays.toString(expected)
                    + ", got " + shape(x));
        }
        return x;
    }

    /**
     * The checks at the top of a module's {@code backward}: a forward came first, and the output
     * gradient has the output's shape.
     *
     * @param where the place, e.g. {@code "ReLU.backward"}
     * @param forwarded whether a forward has run
     * @param gradOutput dL/d(output)
     * @param outputShape the shape of the last output (read only once {@code forwarded} holds)
     * @return {@code gradOutput}
     * @throws IllegalStateException when no forward has run
     * @throws IllegalArgumentException when {@code gradOutput} is null or has another shape
     */
    public static INDArray gradOutput(String where, boolean forwarded, INDArray gradOutput, long[] outputShape) {
        state(forwarded, where, "backward called before forward");
        return shapeEquals(where, "gradOutput", gradOutput, outputShape);
    }

    /**
     * As {@link #gradOutput(String, boolean, INDArray, long[])}, with the shape of {@code output}, the
     * last output (null before the first forward).
     *
     * @param where the place
     * @param forwarded whether a forward has run
     * @param gradOutput dL/d(output)
     * @param output the last output
     * @return {@code gradOutput}
     * @throws IllegalStateException when no forward has run
     * @throws IllegalArgumentException when {@code gradOutput} is null or has another shape
     */
    public static INDArray gradOutput(String where, boolean forwarded, INDArray gradOutput, INDArray output) {
        state(forwarded, where, "backward called before forward");
        return shapeEquals(where, "gradOutput", gradOutput, output.shape());
    }

    /**
     * @param where the place
     * @param na the first argument's name
     * @param a the first array
     * @param nb the second argument's name
     * @param b the second array
     * @throws IllegalArgumentException when the shapes differ
     */
    public static void sameShape(String where, String na, INDArray a, String nb, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(where + ": " + na + " and " + nb + " must have the same shape, got "
                    + shape(a) + " and " + shape(b));
        }
    }

    /**
     * @param where the place
     * @param na the first argument's name
     * @param a the first array
     * @param nb the second argument's name
     * @param b the second array
     * @throws IllegalArgumentException when the data types differ
     */
    public static void sameType(String where, String na, INDArray a, String nb, INDArray b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(where + ": " + na + " and " + nb + " must have the same data type, got "
                    + a.dataType() + " and " + b.dataType());
        }
    }
}
