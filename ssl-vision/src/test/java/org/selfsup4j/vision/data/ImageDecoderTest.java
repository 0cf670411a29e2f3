package org.selfsup4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.augment.image.FloatImage;

class ImageDecoderTest {
    @TempDir
    Path dir;

    static Path writePng(Path file, BufferedImage img) throws IOException {
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return file;
    }

    static BufferedImage rgb(int w, int h, int argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        return img;
    }

    @Test
    void decode_rgbPng_valuesInUnitRangeChannelMajor() throws Exception {
        BufferedImage img = rgb(3, 2, 0xFF336699);
        img.setRGB(2, 1, 0xFFFF0000);
        FloatImage f = ImageDecoder.rgb().decode(writePng(dir.resolve("a.png"), img));
        assertEquals(3, f.channels());
        assertEquals(2, f.height());
        assertEquals(3, f.width());
        assertEquals(0x33 / 255f, f.get(0, 0, 0), 1e-7);
        assertEquals(0x66 / 255f, f.get(1, 0, 0), 1e-7);
        assertEquals(0x99 / 255f, f.get(2, 0, 0), 1e-7);
        assertEquals(1f, f.get(0, 1, 2), 1e-7);
        assertEquals(0f, f.get(1, 1, 2), 1e-7);
    }

    @Test
    void decode_grayscalePng_comesOutAsEqualRgbPlanes() throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 0, 0, 200);
        FloatImage f = ImageDecoder.rgb().decode(writePng(dir.resolve("g.png"), img));
        assertEquals(3, f.channels());
        // Gray through the sRGB conversion stays gray: equal planes.
        assertEquals(f.get(0, 0, 1), f.get(1, 0, 1), 1e-6);
        assertEquals(f.get(0, 0, 1), f.get(2, 0, 1), 1e-6);
        assertTrue(f.get(0, 0, 1) > 0.5f);
        assertEquals(0f, f.get(0, 0, 0), 1e-6);
    }

    @Test
    void decode_palettePng_resolvesColours() throws Exception {
        byte[] r = {0, (byte) 255};
        byte[] g = {0, (byte) 128};
        byte[] b = {0, 0};
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        img.getRaster().setSample(1, 0, 0, 1);
        FloatImage f = ImageDecoder.rgb().decode(writePng(dir.resolve("p.png"), img));
        assertEquals(1f, f.get(0, 0, 1), 1e-6);
        assertEquals(128 / 255f, f.get(1, 0, 1), 1e-6);
        assertEquals(0f, f.get(0, 0, 0), 1e-6);
    }

    @Test
    void decode_alphaPng_dropsAlpha() throws Exception {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80FF0000);
        FloatImage f = ImageDecoder.rgb().decode(writePng(dir.resolve("alpha.png"), img));
        assertEquals(3, f.channels());
        assertEquals(1f, f.get(0, 0, 0), 1e-6);
        assertEquals(0f, f.get(1, 0, 0), 1e-6);
    }

    @Test
    void decode_sixteenBitGrayPng_scalesToUnitRange() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster ras = img.getRaster();
        ras.setSample(0, 0, 0, 65535);
        ras.setSample(1, 0, 0, 0);
        FloatImage f = ImageDecoder.grayscale().decode(writePng(dir.resolve("g16.png"), img));
        assertEquals(1, f.channels());
        assertEquals(1f, f.get(0, 0, 0), 1e-2);
        assertEquals(0f, f.get(0, 0, 1), 1e-6);
    }

    @Test
    void decode_grayRequested_usesBt601Luma() throws Exception {
        FloatImage f = ImageDecoder.grayscale().decode(writePng(dir.resolve("c.png"), rgb(1, 1, 0xFF336699)));
        assertEquals(1, f.channels());
        assertEquals(0.299f * 0x33 / 255f + 0.587f * 0x66 / 255f + 0.114f * 0x99 / 255f, f.get(0, 0, 0), 1e-6);
    }

    @Test
    void decode_jpeg_closeToSource() throws Exception {
        Path file = dir.resolve("a.jpg");
        assertTrue(ImageIO.write(rgb(16, 16, new Color(200, 100, 50).getRGB()), "jpg", file.toFile()));
        FloatImage f = ImageDecoder.rgb().decode(file);
        assertEquals(200 / 255f, f.get(0, 8, 8), 0.03);
        assertEquals(100 / 255f, f.get(1, 8, 8), 0.03);
        assertEquals(50 / 255f, f.get(2, 8, 8), 0.03);
    }

    @Test
    void decode_cmykJpeg_convertedToRgb() throws Exception {
        // A 4-band JPEG as Adobe stores CMYK (inverted: 255 = no ink); the JDK refuses it as an image.
        int w = 16;
        java.awt.image.WritableRaster ras = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, w, w, 4, null);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                ras.setPixel(x, y, new int[] {0, 255, 255, 255});
            }
        }
        Path file = dir.resolve("cmyk.jpg");
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(ras, null, null), null);
        } finally {
            writer.dispose();
        }
        FloatImage f = ImageDecoder.rgb().decode(file);
        assertEquals(3, f.channels());
        // Full cyan ink, nothing else: red absent, green and blue full.
        assertEquals(0f, f.get(0, 8, 8), 0.05);
        assertEquals(1f, f.get(1, 8, 8), 0.05);
        assertEquals(1f, f.get(2, 8, 8), 0.05);
    }

    @Test
    void decode_zeroByteFile_throwsTypedExceptionNamingFile() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.png"));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.rgb().decode(file));
        assertEquals(file, e.file());
        assertEquals(ImageDecodeException.Reason.UNKNOWN_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("empty.png"), e.getMessage());
    }

    @Test
    void decode_truncatedPng_throwsCorrupt() throws Exception {
        Path full = writePng(dir.resolve("full.png"), noise(64, 64));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("truncated.png");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.rgb().decode(cut));
        assertEquals(cut, e.file());
        assertTrue(e.getMessage().contains("truncated.png"), e.getMessage());
    }

    @Test
    void decode_garbage_throwsUnknownFormat() throws Exception {
        Path file = dir.resolve("garbage.jpg");
        Files.write(file, "this is not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.rgb().decode(file));
        assertEquals(ImageDecodeException.Reason.UNKNOWN_FORMAT, e.reason());
    }

    @Test
    void decode_hugeDeclaredSize_refusedBeforeDecoding() throws Exception {
        // A valid 1x1 PNG whose IHDR is rewritten to declare 100000 x 100000 (10^10 pixels).
        Path file = dir.resolve("bomb.png");
        Files.write(file, withDeclaredSize(pngBytes(rgb(1, 1, 0xFF000000)), 100_000, 100_000));
        long t0 = System.nanoTime();
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.rgb().decode(file));
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refusal must not decode");
    }

    @Test
    void decode_aboveCustomLimit_refused_atLimit_accepted() throws Exception {
        Path file = writePng(dir.resolve("ten.png"), rgb(5, 2, 0xFF000000));
        assertEquals(5, new ImageDecoder(10, false).decode(file).width());
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> new ImageDecoder(9, false).decode(file));
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
    }

    @Test
    void decode_truncatedJpeg_throwsCorruptInsteadOfPaddedPixels() throws Exception {
        // The JDK's JPEG decoder fills the missing scan with grey and only warns; that must not pass.
        byte[] jpeg = jpegBytes(noise(64, 64));
        Path cut = dir.resolve("truncated.jpg");
        Files.write(cut, Arrays.copyOf(jpeg, jpeg.length * 6 / 10));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.rgb().decode(cut));
        assertEquals(ImageDecodeException.Reason.CORRUPT, e.reason());
        assertEquals(cut, e.file());
        assertTrue(e.getMessage().contains("truncated.jpg"), e.getMessage());
    }

    @Test
    void decode_jpegOrPngCutAnywhereAfterTheHeader_neverReturnsPixels() throws Exception {
        byte[] jpeg = jpegBytes(noise(48, 40));
        byte[] png = pngBytes(noise(48, 40));
        for (byte[] full : new byte[][] {jpeg, png}) {
            String ext = full == jpeg ? ".jpg" : ".png";
            // From just past the headers up to one byte short of the end marker.
            for (int len = full.length / 4; len < full.length - 2; len += Math.max(1, full.length / 40)) {
                Path cut = dir.resolve("cut-" + len + ext);
                Files.write(cut, Arrays.copyOf(full, len));
                assertThrows(ImageDecodeException.class, () -> ImageDecoder.rgb().decode(cut),
                        ext + " cut at " + len + " of " + full.length + " bytes decoded without error");
            }
        }
    }

    @Test
    void decode_declaredSizeAboveHeapBudget_refusedBeforeDecoding() throws Exception {
        // 9000 x 9000 is under Pillow's 89-megapixel limit, but needs ~2.6 GB to decode: with a 1 GiB
        // heap it ended a run with an uncaught OutOfMemoryError.
        Path file = dir.resolve("big.png");
        Files.write(file, withDeclaredSize(pngBytes(rgb(1, 1, 0xFF000000)), 9000, 9000));
        ImageDecoder oneGig = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, false, () -> 1L << 30);
        assertTrue(oneGig.pixelBudget() < 9000L * 9000, "budget " + oneGig.pixelBudget());
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> oneGig.decode(file));
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("big.png") && e.getMessage().contains("decode budget"), e.getMessage());
    }

    @Test
    void pixelBudget_isTheSmallerOfTheLimitAndTheHeapShare() {
        long gib = 1L << 30;
        assertEquals((long) (ImageDecoder.HEAP_FRACTION * gib / ImageDecoder.PEAK_BYTES_PER_PIXEL),
                ImageDecoder.budget(ImageDecoder.DEFAULT_MAX_PIXELS, gib));
        assertEquals(1000, ImageDecoder.budget(1000, gib));
        assertEquals(1000, new ImageDecoder(1000, false, () -> gib).pixelBudget());
        assertTrue(ImageDecoder.rgb().pixelBudget() <= ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    @Test
    void constructor_nonPositiveLimit_throws() {
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0, false));
    }

    @Test
    void defaultLimit_isPillows() {
        assertEquals(1024L * 1024 * 1024 / 4 / 3, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt());
            }
        }
        return img;
    }

    static byte[] jpegBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpg", bos));
        return bos.toByteArray();
    }

    static byte[] pngBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        return bos.toByteArray();
    }

    /** Rewrites the IHDR width and height (bytes 16..23) and fixes its CRC. */
    static byte[] withDeclaredSize(byte[] png, int w, int h) {
        byte[] out = png.clone();
        ByteBuffer bb = ByteBuffer.wrap(out);
        bb.putInt(16, w);
        bb.putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17);
        bb.putInt(29, (int) crc.getValue());
        return out;
    }
}
