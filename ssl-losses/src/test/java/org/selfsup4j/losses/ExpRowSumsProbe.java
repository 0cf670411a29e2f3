package org.selfsup4j.losses;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Run by {@link ExpRowSumsJitTest} in a child JVM under {@code -Xint}: prints a hash of the bits that
 * {@link VectorKernels#expRowSums} gives for a seeded matrix, computed entirely by the interpreter.
 */
final class ExpRowSumsProbe {
    static final int ROWS = 24;
    static final int COLS = 517;

    private ExpRowSumsProbe() {
    }

    public static void main(String[] args) {
        System.out.println(hash());
    }

    /** The hash of exp and row-sum bits of the seeded input (logits of a softmax, a masked entry, the tails). */
    static long hash() {
        ByteBuffer d = ByteBuffer.allocateDirect(4 * ROWS * COLS).order(ByteOrder.nativeOrder());
        ByteBuffer s = ByteBuffer.allocateDirect(4 * ROWS).order(ByteOrder.nativeOrder());
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < ROWS * COLS; i++) {
            d.putFloat(4 * i, (float) (random.nextDouble() * 100 - 70));
        }
        d.putFloat(4 * 3, Float.NEGATIVE_INFINITY);
        VectorKernels.expRowSums(d, 0, ROWS, COLS, s, 0);
        long h = 17;
        for (int i = 0; i < ROWS * COLS; i++) {
            h = h * 31 + Float.floatToIntBits(d.getFloat(4 * i));
        }
        for (int r = 0; r < ROWS; r++) {
            h = h * 31 + Float.floatToIntBits(s.getFloat(4 * r));
        }
        return h;
    }
}
