package org.selfsup4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.augment.image.FloatImage;

class IdxAndCifarReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int dims, int[] sizes, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(0x0800 | dims);
        for (int s : sizes) {
            out.writeInt(s);
        }
        out.write(data);
        return bos.toByteArray();
    }

    static void gzip(Path file, byte[] bytes) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(bytes);
        }
    }

    @Test
    void readSplit_plainAndGzip_sameContent() throws Exception {
        byte[] pixels = {0, (byte) 255, 51, 102, 1, 2, 3, 4};
        byte[] images = idx(3, new int[] {2, 2, 2}, pixels);
        byte[] labels = idx(1, new int[] {2}, new byte[] {7, 3});
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.write(plain.resolve("train-images-idx3-ubyte"), images);
        Files.write(plain.resolve("train-labels-idx1-ubyte"), labels);
        Path gz = Files.createDirectories(dir.resolve("gz"));
        gzip(gz.resolve("train-images-idx3-ubyte.gz"), images);
        gzip(gz.resolve("train-labels-idx1-ubyte.gz"), labels);
        for (Path d : List.of(plain, gz)) {
            LabeledImages s = IdxReader.readSplit(d, "train", null);
            assertEquals(2, s.size());
            assertArrayEquals(new int[] {7, 3}, s.labels());
            FloatImage f = s.images().get(0);
            assertEquals(1, f.channels());
            assertEquals(1f, f.get(0, 0, 1), 1e-7);
            assertEquals(0.2f, f.get(0, 1, 0), 1e-7);
            assertEquals(4 / 255f, s.images().get(1).get(0, 1, 1), 1e-7);
        }
    }

    @Test
    void readImages_truncated_throwsNamingFile() throws Exception {
        Path f = dir.resolve("t-images-idx3-ubyte");
        Files.write(f, idx(3, new int[] {3, 2, 2}, new byte[9]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void readImages_hugeDeclaredSize_refusedWithoutAllocating() throws Exception {
        Path f = dir.resolve("huge-images-idx3-ubyte");
        Files.write(f, idx(3, new int[] {1_000_000, 10_000, 10_000}, new byte[4]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    }

    @Test
    void readImagesOrLabels_smallFileDeclaringUnderTheLimit_refusedBeforeAllocating() throws Exception {
        // 10^9 one-pixel images (under MAX_DATA_BYTES) in a 20-byte file: the image list's capacity alone
        // used to end the JVM with an OutOfMemoryError ("Java heap space").
        Path images = dir.resolve("many-images-idx3-ubyte");
        Files.write(images, idx(3, new int[] {1_000_000_000, 1, 1}, new byte[4]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(images));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(images.toString()), e.getMessage());
        Path labels = dir.resolve("many-labels-idx1-ubyte");
        Files.write(labels, idx(1, new int[] {1_000_000_000}, new byte[4]));
        assertThrows(IOException.class, () -> IdxReader.readLabels(labels));
        Path gz = dir.resolve("many-labels-idx1-ubyte.gz");
        gzip(gz, idx(1, new int[] {1_000_000_000}, new byte[4]));
        IOException g = assertThrows(IOException.class, () -> IdxReader.readLabels(gz));
        assertTrue(g.getMessage().contains("more than the file can hold"), g.getMessage());
    }

    @Test
    void readLabels_wrongMagic_throws() throws Exception {
        Path f = dir.resolve("x-labels-idx1-ubyte");
        Files.write(f, idx(3, new int[] {1, 1, 1}, new byte[1]));
        assertThrows(IOException.class, () -> IdxReader.readLabels(f));
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThrows(IOException.class, () -> IdxReader.readLabels(empty));
    }

    @Test
    void readSplit_realFashionMnistTestSet() throws Exception {
        String root = System.getProperty("selfsup4j.datasets");
        assumeTrue(root != null && Files.isDirectory(Path.of(root, "fashion-mnist")), "shared datasets not available");
        LabeledImages s = IdxReader.readSplit(Path.of(root, "fashion-mnist"), "t10k", null);
        assertEquals(10_000, s.size());
        assertEquals(28, s.images().get(0).height());
        int[] counts = new int[10];
        for (int l : s.labels()) {
            counts[l]++;
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, counts);
    }

    @Test
    void readSplit_realMnistLabelsMatchPublishedFirstDigits() throws Exception {
        String root = System.getProperty("selfsup4j.datasets");
        assumeTrue(root != null && Files.isDirectory(Path.of(root, "mnist")), "shared datasets not available");
        int[] labels = IdxReader.readLabels(Path.of(root, "mnist", "t10k-labels-idx1-ubyte.gz"));
        assertEquals(10_000, labels.length);
        // The MNIST test set famously starts 7, 2, 1, 0, 4, 1, 4, 9, 5, 9.
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(labels, 10));
    }

    @Test
    void cifarBinary_recordsDecodeChannelMajor() throws Exception {
        byte[] rec = new byte[2 * Cifar10Binary.RECORD_BYTES];
        rec[0] = 3;
        rec[1] = (byte) 255;
        rec[1 + 1024] = 51;
        rec[1 + 2048 + 33] = 102;
        rec[Cifar10Binary.RECORD_BYTES] = 9;
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, rec);
        LabeledImages d = Cifar10Binary.read("cifar", List.of(f));
        assertArrayEquals(new int[] {3, 9}, d.labels());
        FloatImage img = d.images().get(0);
        assertEquals(1f, img.get(0, 0, 0), 1e-7);
        assertEquals(0.2f, img.get(1, 0, 0), 1e-7);
        assertEquals(0.4f, img.get(2, 1, 1), 1e-7);
        assertEquals("cat", d.classNames().get(3));
    }

    @Test
    void cifarBinary_partialRecordOrBadLabel_throws() throws Exception {
        Path f = dir.resolve("short.bin");
        Files.write(f, new byte[Cifar10Binary.RECORD_BYTES + 5]);
        assertThrows(IOException.class, () -> Cifar10Binary.read("c", List.of(f)));
        byte[] rec = new byte[Cifar10Binary.RECORD_BYTES];
        rec[0] = 10;
        Path g = dir.resolve("label.bin");
        Files.write(g, rec);
        assertThrows(IOException.class, () -> Cifar10Binary.read("c", List.of(g)));
        Path z = Files.createFile(dir.resolve("zero.bin"));
        assertThrows(IOException.class, () -> Cifar10Binary.read("c", List.of(z)));
    }
}
