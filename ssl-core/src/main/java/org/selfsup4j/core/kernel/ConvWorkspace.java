package org.selfsup4j.core.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scratch memory shared by all blocks of a thread, in a few independent slots. Each slot holds
 * arrays that live only within one forward or backward call of one block (convolution columns, the
 * padded input gradient of a convolution, batch norm's squared deviations, a residual sum), so one
 * flat array per slot and data type, grown to the largest request, serves every layer: a ResNet would
 * otherwise hold each of them per layer, gigabytes at CIFAR batch sizes.
 */
public final class ConvWorkspace {
    /** Largest scratch request in elements (128 MiB of float32); convolutions chunk the batch to fit. */
    static final long DEFAULT_BUDGET = 1L << 25;

    /** Slot of the convolution column buffers (see {@link ConvCore}). */
    static final int COLUMNS = 0;
    /** Slot of a convolution's zero-padded input gradient, live during its backward only. */
    static final int GRAD_PAD = 1;
    /** Slot of element-wise temporaries of normalization and residual blocks. */
    public static final int ELEMENTWISE = 2;
    private static final int SLOTS = 3;

    /** The budget plans are made with; tests lower it to exercise chunking. */
    static volatile long budget = DEFAULT_BUDGET;

    private static final ThreadLocal<INDArray[]> SCRATCH = ThreadLocal.withInitial(() -> new INDArray[2 * SLOTS]);

    private ConvWorkspace() {
    }

    /** A flat array of the column slot with at least {@code length} elements, valid until the next call on this thread. */
    static INDArray get(DataType dtype, long length) {
        return get(COLUMNS, dtype, length);
    }

    /** A flat array of {@code slot} with at least {@code length} elements, valid until the next use of the slot on this thread. */
    static INDArray get(int slot, DataType dtype, long length) {
        INDArray[] slots = SCRATCH.get();
        int i = 2 * slot + (dtype == DataType.DOUBLE ? 1 : 0);
        if (slots[i] == null || slots[i].length() < length) {
            slots[i] = Nd4j.create(dtype, length);
        }
        return slots[i];
    }

    /** A c-order array of the given shape viewing the start of {@code slot}; contents undefined. */
    public static INDArray shaped(int slot, DataType dtype, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        INDArray flat = get(slot, dtype, n);
        INDArray head = flat.length() == n ? flat : flat.get(NDArrayIndex.interval(0, n));
        return head.reshape('c', shape);
    }
}
