package org.selfsup4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays as compact little-endian bytes for {@link Collective} payloads: the values of each array
 * in C order, in its own precision (FLOAT 4 bytes, DOUBLE 8 bytes), arrays back to back, no header
 * (both sides know the layout: the same model and batch shapes on every replica).
 */
public final class ArrayBytes {
    private ArrayBytes() {
    }

    /** @return the bytes of {@code arrays}' values, in order */
    public static byte[] encode(List<INDArray> arrays) {
        long total = 0;
        for (INDArray a : arrays) {
            total += a.length() * width(a.dataType());
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ArrayBytes: a payload must stay under 2 GiB, got " + total + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (INDArray a : arrays) {
            INDArray c = a.dup('c');
            if (a.dataType() == DataType.DOUBLE) {
                double[] v = c.data().asDouble();
                buf.asDoubleBuffer().put(v, 0, (int) a.length());
            } else {
                float[] v = c.data().asFloat();
                buf.asFloatBuffer().put(v, 0, (int) a.length());
            }
            buf.position(buf.position() + (int) (a.length() * width(a.dataType())));
        }
        return buf.array();
    }

    /**
     * Assigns {@code bytes} to {@code targets}, read with the targets' shapes and precisions.
     *
     * @throws IllegalArgumentException when the byte count does not match the targets
     */
    public static void decodeInto(byte[] bytes, List<INDArray> targets) {
        ByteBuffer buf = checked(bytes, targets);
        for (INDArray t : targets) {
            int n = (int) t.length();
            if (t.dataType() == DataType.DOUBLE) {
                double[] v = new double[n];
                buf.asDoubleBuffer().get(v);
                t.assign(Nd4j.create(v, t.shape(), 'c'));
            } else {
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                t.assign(Nd4j.create(v, t.shape(), 'c'));
            }
            buf.position(buf.position() + n * width(t.dataType()));
        }
    }

    /**
     * Adds the values in {@code bytes}, laid out as {@code layout}, to {@code acc} (in double).
     *
     * @param acc one entry per value of all layout arrays, in order
     */
    public static void addTo(byte[] bytes, List<INDArray> layout, double[] acc) {
        ByteBuffer buf = checked(bytes, layout);
        int i = 0;
        for (INDArray t : layout) {
            int n = (int) t.length();
            if (t.dataType() == DataType.DOUBLE) {
                var d = buf.asDoubleBuffer();
                for (int k = 0; k < n; k++) {
                    acc[i++] += d.get(k);
                }
            } else {
                var f = buf.asFloatBuffer();
                for (int k = 0; k < n; k++) {
                    acc[i++] += f.get(k);
                }
            }
            buf.position(buf.position() + n * width(t.dataType()));
        }
    }

    /** @return the number of values (not bytes) in {@code arrays} */
    public static int values(List<INDArray> arrays) {
        long n = 0;
        for (INDArray a : arrays) {
            n += a.length();
        }
        return Math.toIntExact(n);
    }

    /** Assigns consecutive entries of {@code flat} to {@code targets}, in order. */
    public static void assign(double[] flat, List<INDArray> targets) {
        int i = 0;
        for (INDArray t : targets) {
            int n = (int) t.length();
            double[] v = new double[n];
            System.arraycopy(flat, i, v, 0, n);
            i += n;
            t.assign(Nd4j.create(v, t.shape(), 'c'));
        }
    }

    private static ByteBuffer checked(byte[] bytes, List<INDArray> layout) {
        long expected = 0;
        for (INDArray a : layout) {
            expected += a.length() * width(a.dataType());
        }
        if (bytes.length != expected) {
            throw new IllegalArgumentException("ArrayBytes: expected " + expected + " bytes for the layout, got "
                    + bytes.length);
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int width(DataType type) {
        return switch (type) {
            case DOUBLE -> Double.BYTES;
            case FLOAT -> Float.BYTES;
            default -> throw new IllegalArgumentException("ArrayBytes: expected FLOAT or DOUBLE arrays, got " + type);
        };
    }
}
