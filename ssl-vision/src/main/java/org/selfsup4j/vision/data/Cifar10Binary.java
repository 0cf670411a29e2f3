package org.selfsup4j.vision.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.image.FloatImage;

/**
 * Reads the CIFAR-10 binary version ({@code data_batch_1.bin} ... {@code data_batch_5.bin},
 * {@code test_batch.bin}): records of 1 label byte then 3072 bytes, the red, green and blue 32x32
 * planes row-major. Pixels come out in [0, 1] (byte / 255), already CHW.
 */
public final class Cifar10Binary {
    /** CIFAR-10's class names, index = label. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** Side of a CIFAR image. */
    public static final int SIZE = 32;
    /** Bytes per record: label + 3 x 32 x 32. */
    public static final int RECORD_BYTES = 1 + 3 * SIZE * SIZE;

    private Cifar10Binary() {
    }

    /**
     * Reads one or more batch files, concatenated in the given order.
     *
     * @param name the dataset name for reports
     * @param files batch files
     * @return the images and labels
     * @throws IOException if a file is unreadable, its size is not a multiple of 3073 bytes, or a label is above 9
     */
    public static LabeledImages read(String name, List<Path> files) throws IOException {
        List<FloatImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int plane = SIZE * SIZE;
        byte[] rec = new byte[RECORD_BYTES];
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new IOException("Cifar10Binary.read: " + f + " has " + size
                        + " bytes, expected a positive multiple of " + RECORD_BYTES);
            }
            long n = size / RECORD_BYTES;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                for (long i = 0; i < n; i++) {
                    if (in.readNBytes(rec, 0, RECORD_BYTES) != RECORD_BYTES) {
                        throw new IOException("Cifar10Binary.read: " + f + " ended inside record " + i);
                    }
                    int label = rec[0] & 0xFF;
                    if (label >= CLASSES.size()) {
                        throw new IOException("Cifar10Binary.read: " + f + " record " + i + " has label " + label
                                + ", expected 0..9");
                    }
                    float[] d = new float[3 * plane];
                    for (int j = 0; j < 3 * plane; j++) {
                        d[j] = (rec[1 + j] & 0xFF) / 255f;
                    }
                    images.add(new FloatImage(d, 3, SIZE, SIZE));
                    labels.add(label);
                }
            }
        }
        return new LabeledImages(name, images, labels.stream().mapToInt(Integer::intValue).toArray(), CLASSES);
    }
}
