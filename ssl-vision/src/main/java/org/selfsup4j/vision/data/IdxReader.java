package org.selfsup4j.vision.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.selfsup4j.augment.image.FloatImage;

/**
 * Reads IDX files (LeCun's MNIST format, also Fashion-MNIST), gzip-compressed ({@code .gz}, detected
 * from the magic bytes) or not.
 *
 * <pre>
 *   magic: 0x00 0x00 type dims   (type 0x08 = unsigned byte)
 *   dims x int32 big-endian sizes, then the data, row-major
 * </pre>
 *
 * Images ({@code dims = 3}, {@code [N, rows, cols]}) become 1-channel {@link FloatImage}s in [0, 1]
 * (byte / 255); labels ({@code dims = 1}) are class indices. Declared sizes are checked before
 * anything is allocated: against {@link #MAX_DATA_BYTES}, and against what the file can hold (its
 * length after the header, or {@link #MAX_GZIP_RATIO} times its length when gzip-compressed), so a
 * small file declaring a huge array is refused instead of allocating it. A file shorter than
 * declared raises {@link IOException} naming the file.
 */
public final class IdxReader {
    /** The IDX type byte for unsigned 8-bit data, the only one MNIST uses. */
    public static final int TYPE_UBYTE = 0x08;
    /** Refuse files declaring more than this many bytes of data (1 GiB). */
    public static final long MAX_DATA_BYTES = 1L << 30;
    /** DEFLATE expands at most about 1032:1, so a gzip file cannot hold more than this times its size. */
    public static final long MAX_GZIP_RATIO = 1032;

    private IdxReader() {
    }

    /**
     * Reads an image file.
     *
     * @param file {@code *-images-idx3-ubyte[.gz]}
     * @return the images, 1 channel
     * @throws IOException if the file is unreadable, not IDX3 unsigned byte, too large or truncated
     */
    public static List<FloatImage> readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(file, in, 3, capacity(file));
            int n = dims[0];
            int h = dims[1];
            int w = dims[2];
            int plane = h * w;
            byte[] buf = new byte[plane];
            List<FloatImage> out = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                readFully(file, in, buf, i, n);
                float[] d = new float[plane];
                for (int j = 0; j < plane; j++) {
                    d[j] = (buf[j] & 0xFF) / 255f;
                }
                out.add(new FloatImage(d, 1, h, w));
            }
            return out;
        }
    }

    /**
     * Reads a label file.
     *
     * @param file {@code *-labels-idx1-ubyte[.gz]}
     * @return the labels
     * @throws IOException if the file is unreadable, not IDX1 unsigned byte, too large or truncated
     */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int n = header(file, in, 1, capacity(file))[0];
            byte[] buf = new byte[n];
            readFully(file, in, buf, 0, 1);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = buf[i] & 0xFF;
            }
            return out;
        }
    }

    /**
     * Reads an MNIST-style split: {@code <prefix>-images-idx3-ubyte[.gz]} and
     * {@code <prefix>-labels-idx1-ubyte[.gz]} in {@code dir} (e.g. prefix {@code train} or {@code t10k}).
     *
     * @param dir the folder
     * @param prefix file prefix
     * @param classNames class names (10 for MNIST / Fashion-MNIST), or null for "0".."9"
     * @return the dataset
     * @throws IOException if a file is missing, unreadable or malformed, or the counts differ
     */
    public static LabeledImages readSplit(Path dir, String prefix, List<String> classNames) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        List<FloatImage> imgs = readImages(images);
        int[] ls = readLabels(labels);
        if (ls.length != imgs.size()) {
            throw new IOException("IdxReader.readSplit: " + images + " holds " + imgs.size() + " images but "
                    + labels + " holds " + ls.length + " labels");
        }
        int classes = IntStream.of(ls).max().orElse(-1) + 1;
        List<String> names = classNames != null ? classNames
                : IntStream.range(0, Math.max(classes, 10)).mapToObj(Integer::toString).toList();
        Path dn = dir.getFileName();
        return new LabeledImages((dn == null ? "" : dn + "/") + prefix, imgs, ls, names);
    }

    private static Path find(Path dir, String base) throws IOException {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new IOException("IdxReader: neither " + gz + " nor " + raw + " exists");
    }

    /** The most data bytes the file can hold: its length, times {@link #MAX_GZIP_RATIO} if gzip. */
    private static long capacity(Path file) throws IOException {
        long size = Files.size(file);
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 2) == 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b) {
                return size * MAX_GZIP_RATIO;
            }
        }
        return size;
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                : raw;
        return new DataInputStream(in);
    }

    private static int[] header(Path file, DataInputStream in, int expectedDims, long capacity) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IOException("IdxReader: " + file + " is too short for an IDX header", e);
        }
        int type = (magic >>> 8) & 0xFF;
        int dims = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != TYPE_UBYTE || dims != expectedDims) {
            throw new IOException(String.format("IdxReader: %s: expected magic 0x000008%02x (unsigned byte, %d dims),"
                    + " got 0x%08x", file, expectedDims, expectedDims, magic));
        }
        int[] d = new int[dims];
        long total = 1;
        for (int i = 0; i < dims; i++) {
            try {
                d[i] = in.readInt();
            } catch (EOFException e) {
                throw new IOException("IdxReader: " + file + " ends inside its header", e);
            }
            if (d[i] <= 0) {
                throw new IOException("IdxReader: " + file + " declares size " + d[i] + " on axis " + i);
            }
            total *= d[i];
            if (total > MAX_DATA_BYTES) {
                throw new IOException("IdxReader: " + file + " declares more than " + MAX_DATA_BYTES
                        + " bytes of data; refusing");
            }
        }
        if (total > capacity) {
            throw new IOException("IdxReader: " + file + " is truncated: its header declares " + total
                    + " bytes of data, more than the file can hold (" + capacity + " bytes)");
        }
        return d;
    }

    private static void readFully(Path file, DataInputStream in, byte[] buf, int item, int items) throws IOException {
        try {
            in.readFully(buf);
        } catch (EOFException e) {
            throw new IOException("IdxReader: " + file + " is truncated: item " + item + " of " + items
                    + " is incomplete", e);
        }
    }
}
