package org.selfsup4j.losses;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponential of float rows with the JDK's Vector API (its {@code EXP} is the vectorized SVML
 * routine of {@code libjsvml}, within 1 ulp like {@code expf}). Loaded only through {@link ExpKernel},
 * and only when the JVM resolved {@code jdk.incubator.vector}.
 */
final class VectorExp {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many elements one thread does it all (fork/join costs more than it saves). */
    private static final long PARALLEL_THRESHOLD = 1 << 16;

    private VectorExp() {
    }

    /**
     * {@code x[r, c] <- exp(x[r, c])} over {@code rows} contiguous rows of {@code cols} floats starting
     * at byte {@code base} of {@code data}; writes each row's sum of the results to {@code sums} at
     * byte {@code sumBase + 4 r} (accumulated in float lanes, as PyTorch's float reductions).
     */
    static void expRowSums(ByteBuffer data, long base, int rows, int cols, ByteBuffer sums, long sumBase) {
        ByteBuffer d = data.duplicate().order(ORDER);
        ByteBuffer s = sums.duplicate().order(ORDER);
        if ((long) rows * cols < PARALLEL_THRESHOLD || rows < 2) {
            expRows(d, base, 0, rows, cols, s, sumBase);
            return;
        }
        int chunks = Math.min(rows, 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            int from = (int) ((long) rows * ch / chunks);
            int to = (int) ((long) rows * (ch + 1) / chunks);
            expRows(d, base, from, to, cols, s, sumBase);
        });
    }

    private static void expRows(ByteBuffer d, long base, int from, int to, int cols, ByteBuffer s, long sumBase) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(cols);
        for (int r = from; r < to; r++) {
            int row = Math.toIntExact(base + 4L * r * cols);
            FloatVector acc = FloatVector.zero(SPECIES);
            int c = 0;
            for (; c < bound; c += lanes) {
                int at = row + 4 * c;
                FloatVector e = FloatVector.fromByteBuffer(SPECIES, d, at, ORDER).lanewise(VectorOperators.EXP);
                e.intoByteBuffer(d, at, ORDER);
                acc = acc.add(e);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                int at = row + 4 * c;
                float e = (float) Math.exp(d.getFloat(at));
                d.putFloat(at, e);
                sum += e;
            }
            s.putFloat(Math.toIntExact(sumBase + 4L * r), sum);
        }
    }
}
