package org.selfsup4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;

/**
 * MoCo's queue of negatives: a FIFO ring buffer of the last {@code K} L2-normalized keys.
 *
 * <p>As in MoCo, the queue starts full of random unit vectors (drawn from a seeded generator, so
 * a run is reproducible) which the first {@code K} enqueued keys overwrite. Unlike MoCo's
 * {@code _dequeue_and_enqueue}, {@code K} need not be a multiple of the batch size: a batch that
 * runs past the end wraps around to row 0.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>what</th><th>shape</th></tr>
 *   <tr><td>{@link #enqueue} keys</td><td>[B, D], 1 &le; B &le; K</td></tr>
 *   <tr><td>{@link #negatives()}</td><td>[K, D]</td></tr>
 * </table>
 *
 * <p>Order of {@link #negatives()}: slot order, not age order. Slot {@code pointer} holds the
 * oldest key and is the next one overwritten; slot {@code pointer - 1} (mod K) the newest. The
 * InfoNCE loss is invariant to the order of its negatives, so MoCo uses the buffer as it lies.
 *
 * <p>{@link #state()} exposes the live arrays ({@code keys}, {@code pointer}, {@code filled}) so a
 * checkpoint can save them and restore them with {@code assign}. Not thread-safe.
 */
public final class MocoQueue {
    /** MoCo's queue length K. */
    public static final int DEFAULT_SIZE = 65536;
    /** MoCo's key dimension (the output of its projection head). */
    public static final int DEFAULT_DIM = 128;

    private static final int INIT_CHUNK_ROWS = 1024;

    private final int size;
    private final int dim;
    private final INDArray keys;
    private final INDArray pointer;
    private final INDArray filled;
    private final RowL2Normalizer normalizer = new RowL2Normalizer();

    /**
     * @param size K, the number of keys kept
     * @param dim D, the key width
     * @param type FLOAT or DOUBLE, the data type of the stored keys
     * @param seed seed of the random unit vectors the queue starts with
     */
    public MocoQueue(int size, int dim, DataType type, long seed) {
        this.size = Checks.positive("MocoQueue", "size K", size);
        this.dim = Checks.positive("MocoQueue", "dim D", dim);
        this.keys = Nd4j.createUninitialized(Checks.floatType("MocoQueue", type), size, dim);
        this.pointer = Nd4j.zeros(DataType.LONG, 1);
        this.filled = Nd4j.zeros(DataType.LONG, 1);
        randomize(seed);
    }

    /** Refills the queue with random unit vectors from {@code seed} and resets pointer and fill count. */
    public void randomize(long seed) {
        Random rng = new Random(seed);
        for (int start = 0; start < size; start += INIT_CHUNK_ROWS) {
            int rows = Math.min(INIT_CHUNK_ROWS, size - start);
            double[] data = new double[rows * dim];
            for (int i = 0; i < data.length; i++) {
                data[i] = rng.nextGaussian();
            }
            INDArray chunk = keys.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
            chunk.assign(Nd4j.createFromArray(data).reshape(rows, dim));
            normalizer.forward(chunk);
        }
        pointer.putScalar(0, 0L);
        filled.putScalar(0, 0L);
    }

    /**
     * Stores the L2-normalized rows of {@code batch} over the oldest keys, wrapping around.
     *
     * @param batch [B, D] keys (normalized here), 1 &le; B &le; K; any floating type (cast on copy)
     * @throws IllegalArgumentException on a wrong rank, width, or a batch larger than K
     */
    public void enqueue(INDArray batch) {
        Checks.matrix("MocoQueue.enqueue", "keys", batch);
        if (batch.size(1) != dim) {
            // an explicit branch, not Checks.argument: this runs every step, so the message is built only on failure
            throw new IllegalArgumentException("MocoQueue.enqueue: keys must be [B, " + dim + "], got "
                    + Checks.shape(batch));
        }
        if (batch.size(0) > size) {
            throw new IllegalArgumentException("MocoQueue.enqueue: batch of " + batch.size(0)
                    + " keys is larger than the queue size K = " + size);
        }
        int b = (int) batch.size(0);
        int ptr = pointer();
        int first = Math.min(b, size - ptr);
        copyNormalized(batch, 0, first, ptr);
        if (first < b) {
            copyNormalized(batch, first, b, 0);
        }
        pointer.putScalar(0, (long) ((ptr + b) % size));
        filled.putScalar(0, Math.min((long) size, filled() + b));
    }

    private void copyNormalized(INDArray batch, int from, int to, int slot) {
        INDArray dst = keys.get(NDArrayIndex.interval(slot, slot + (to - from)), NDArrayIndex.all());
        dst.assign(batch.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        normalizer.forward(dst);
    }

    /**
     * The live {@code [K, D]} buffer of keys in slot order (see the class javadoc); changed by the
     * next {@link #enqueue}. Do not modify it.
     */
    public INDArray negatives() {
        return keys;
    }

    /** The slot the next key goes to, which holds the oldest key. */
    public int pointer() {
        long p = pointer.getLong(0);
        if (p < 0 || p >= size) {
            throw new IllegalStateException("MocoQueue: pointer " + p + " is outside [0, " + size
                    + ") (restored from a checkpoint of another queue size?)");
        }
        return (int) p;
    }

    /** How many enqueued keys the queue holds (at most K); the rest are the random initial vectors. */
    public long filled() {
        return filled.getLong(0);
    }

    /** K. */
    public int size() {
        return size;
    }

    /** D. */
    public int dim() {
        return dim;
    }

    /**
     * The live arrays to checkpoint: {@code keys} [K, D], {@code pointer} [1] (LONG) and
     * {@code filled} [1] (LONG). Restoring with {@code assign} into these arrays restores the queue.
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put("keys", keys);
        s.put("pointer", pointer);
        s.put("filled", filled);
        return java.util.Collections.unmodifiableMap(s);
    }
}
