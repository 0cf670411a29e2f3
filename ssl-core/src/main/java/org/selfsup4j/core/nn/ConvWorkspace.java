package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scratch memory shared by all convolutions of a thread: column buffers live only within one
 * forward or backward call, so one flat array per data type, grown to the largest request, serves every
 * layer (a ResNet would otherwise hold a column buffer per layer, gigabytes at CIFAR batch sizes).
 */
final class ConvWorkspace {
    /** Largest scratch request in elements (128 MiB of float32); convolutions chunk the batch to fit. */
    static final long DEFAULT_BUDGET = 1L << 25;

    /** The budget plans are made with; tests lower it to exercise chunking. */
    static volatile long budget = DEFAULT_BUDGET;

    private static final ThreadLocal<INDArray[]> SCRATCH = ThreadLocal.withInitial(() -> new INDArray[2]);

    private ConvWorkspace() {
    }

    /** A flat array of at least {@code length} elements, valid until the next call on this thread. */
    static INDArray get(DataType dtype, long length) {
        INDArray[] slots = SCRATCH.get();
        int i = dtype == DataType.DOUBLE ? 1 : 0;
        if (slots[i] == null || slots[i].length() < length) {
            slots[i] = Nd4j.create(dtype, length);
        }
        return slots[i];
    }
}
