package org.selfsup4j.vision.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.Checks;

/**
 * Decodes PNG / JPEG / BMP / GIF files into {@link FloatImage}s in [0, 1], safely.
 *
 * <p>{@code ImageIO.read} trusts headers and has no pixel limit; this decoder reads the header's
 * width x height first (without decoding pixels) and refuses an image above {@link #maxPixels()}
 * (default {@link #DEFAULT_MAX_PIXELS}, Pillow's {@code MAX_IMAGE_PIXELS}). Every input layout comes
 * out as RGB (or gray when asked): grayscale, palette, alpha (dropped, not composited), 16-bit
 * samples (scaled by the colour model), and CMYK JPEGs (which the JDK's decoder refuses as images:
 * their raw raster is read and converted without an ICC profile, {@code R = (1 - c)(1 - k)}, reading
 * the samples as Adobe's inverted storage, {@code 255 - ink}). Gray uses ITU-R BT.601 luma
 * {@code 0.299 R + 0.587 G + 0.114 B}, as Pillow's {@code convert("L")}.
 *
 * <p><b>Decode budget.</b> The pixel limit alone does not prevent an {@link OutOfMemoryError}: a
 * 79 KB PNG declaring 9000 x 9000 pixels (under Pillow's limit) needs about 2 GB to decode. So the
 * header's size is also checked against what fits in {@link #HEAP_FRACTION} of the heap
 * ({@code Runtime.maxMemory()}) at {@link #PEAK_BYTES_PER_PIXEL} bytes per pixel, the decoder's peak
 * (raster, ARGB copy and float planes alive at once). The effective limit,
 * {@link #pixelBudget()}, is the smaller of the two; a larger image is refused with
 * {@link ImageDecodeException.Reason#TOO_LARGE} before a pixel is decoded.
 *
 * <p><b>Truncation.</b> The JDK's JPEG decoder pads a truncated or corrupt entropy-coded segment with
 * grey and only <em>warns</em> ("Premature end of JPEG file"); the PNG decoder likewise may report
 * problems as warnings. Every warning the reader emits is therefore treated as a failure
 * ({@link ImageDecodeException.Reason#CORRUPT}, the warning quoted): a decoded image is either the
 * file's pixels or an exception, never silently wrong pixels.
 *
 * <p>Failures raise {@link ImageDecodeException} naming the file. Instances are immutable and
 * thread-safe.
 */
public final class ImageDecoder {
    /** Pillow's default decompression-bomb limit, {@code 1024 * 1024 * 1024 / 4 / 3} pixels. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    /** Fraction of {@code Runtime.maxMemory()} one decode may use. */
    public static final double HEAP_FRACTION = 0.5;
    /**
     * Peak bytes per pixel of a decode: a 16-bit RGBA raster (8), the ARGB copy (4), three float
     * planes (12) and a gray plane (4), rounded up to leave room for the decoder's own buffers.
     */
    public static final long PEAK_BYTES_PER_PIXEL = 32;

    private final long maxPixels;
    private final boolean gray;
    /** The heap size the budget is computed from; {@code Runtime.maxMemory()} except in tests. */
    private final LongSupplier heapBytes;

    /**
     * @param maxPixels largest accepted width * height (&gt; 0); the heap lowers it further, see
     *     {@link #pixelBudget()}
     * @param gray true for 1-channel output, false for RGB
     */
    public ImageDecoder(long maxPixels, boolean gray) {
        this(maxPixels, gray, () -> Runtime.getRuntime().maxMemory());
    }

    /** As the public constructor, with the heap size given (tests simulate a small heap). */
    ImageDecoder(long maxPixels, boolean gray, LongSupplier heapBytes) {
        this.maxPixels = Checks.positive("ImageDecoder", "maxPixels", maxPixels);
        this.gray = gray;
        this.heapBytes = Checks.notNull("ImageDecoder", "heapBytes", heapBytes);
    }

    /** An RGB decoder with the default pixel limit. */
    public static ImageDecoder rgb() {
        return new ImageDecoder(DEFAULT_MAX_PIXELS, false);
    }

    /** A 1-channel decoder with the default pixel limit. */
    public static ImageDecoder grayscale() {
        return new ImageDecoder(DEFAULT_MAX_PIXELS, true);
    }

    /** @return the pixel limit */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * The largest width * height this decoder accepts now: {@link #maxPixels()}, or fewer when
     * {@link #HEAP_FRACTION} of the heap cannot hold a decode of that size.
     *
     * @return {@code min(maxPixels, HEAP_FRACTION * maxMemory / PEAK_BYTES_PER_PIXEL)}, at least 1
     */
    public long pixelBudget() {
        return budget(maxPixels, heapBytes.getAsLong());
    }

    /**
     * The decode budget for a given heap, as {@link #pixelBudget()}.
     *
     * @param maxPixels the pixel limit
     * @param heapBytes the heap size ({@code Runtime.maxMemory()})
     * @return the smaller of the limit and what fits in {@link #HEAP_FRACTION} of the heap, at least 1
     */
    static long budget(long maxPixels, long heapBytes) {
        long fits = (long) (HEAP_FRACTION * heapBytes / PEAK_BYTES_PER_PIXEL);
        return Math.max(1, Math.min(maxPixels, fits));
    }

    /** @return whether output is one channel */
    public boolean gray() {
        return gray;
    }

    /**
     * Decodes one file.
     *
     * @param file the image file
     * @return the image, CHW in [0, 1], 3 channels (1 if gray)
     * @throws ImageDecodeException if the file cannot be read, is not an image, is truncated or corrupt
     *     (including any decoder warning), or declares more than {@link #pixelBudget()} pixels
     */
    public FloatImage decode(Path file) throws ImageDecodeException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.IO, "cannot read: " + e, e);
        }
        if (size == 0) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.UNKNOWN_FORMAT, "empty file (0 bytes)", null);
        }
        try (InputStream in = Files.newInputStream(file);
             ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) {
                throw new ImageDecodeException(file, ImageDecodeException.Reason.IO, "no image input stream", null);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(file, ImageDecodeException.Reason.UNKNOWN_FORMAT,
                        "not a recognised image format (" + size + " bytes)", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                int w;
                int h;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT,
                            "unreadable header: " + e.getMessage(), e);
                }
                if (w <= 0 || h <= 0) {
                    throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT,
                            "header declares " + w + "x" + h, null);
                }
                long pixels = (long) w * h;
                if (pixels > maxPixels) {
                    throw new ImageDecodeException(file, ImageDecodeException.Reason.TOO_LARGE,
                            "header declares " + w + "x" + h + " = " + pixels + " pixels, above the limit of "
                                    + maxPixels, null);
                }
                long heap = heapBytes.getAsLong();
                long budget = budget(maxPixels, heap);
                if (pixels > budget) {
                    throw new ImageDecodeException(file, ImageDecodeException.Reason.TOO_LARGE,
                            "header declares " + w + "x" + h + " = " + pixels + " pixels, above the decode budget"
                                    + " of " + budget + " pixels (" + PEAK_BYTES_PER_PIXEL + " bytes per pixel in "
                                    + (int) (HEAP_FRACTION * 100) + "% of a " + (heap >> 20)
                                    + " MiB heap; raise -Xmx to decode it)", null);
                }
                // Warnings are how the JDK's decoders report truncated or corrupt data they pad over.
                List<String> warnings = new ArrayList<>();
                IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
                reader.addIIOReadWarningListener(listener);
                FloatImage img = convert(file, reader);
                if (!warnings.isEmpty()) {
                    throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT,
                            "decoder warned (truncated or corrupt data): " + String.join("; ", warnings), null);
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.IO, "cannot read: " + e, e);
        }
    }

    private FloatImage convert(Path file, ImageReader reader) throws ImageDecodeException {
        BufferedImage img;
        try {
            img = reader.read(0);
        } catch (IOException | RuntimeException e) {
            // The JDK's JPEG reader refuses CMYK / YCCK as an image but reads the raw raster.
            if (reader.canReadRaster() && String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                return fromCmykRaster(file, reader);
            }
            throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT, "decoding failed: " + e, e);
        }
        if (img == null) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT, "decoder returned no image", null);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        return fromArgb(argb, h, w);
    }

    private FloatImage fromCmykRaster(Path file, ImageReader reader) throws ImageDecodeException {
        Raster r;
        try {
            r = reader.readRaster(0, null);
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT, "decoding failed: " + e, e);
        }
        if (r.getNumBands() != 4) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT,
                    "unsupported JPEG colour layout with " + r.getNumBands() + " bands", null);
        }
        int w = r.getWidth();
        int h = r.getHeight();
        int[] argb = new int[w * h];
        // One row of samples at a time: the whole raster as int[] would cost 16 bytes per pixel.
        int[] px = new int[4 * w];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                // Adobe JPEGs store inverted ink: the raster value is 255 - ink, so R = v_c * v_k / 255.
                int c = px[4 * x];
                int m = px[4 * x + 1];
                int yy = px[4 * x + 2];
                int k = px[4 * x + 3];
                int rr = c * k / 255;
                int gg = m * k / 255;
                int bb = yy * k / 255;
                argb[y * w + x] = 0xFF000000 | (rr << 16) | (gg << 8) | bb;
            }
        }
        return fromArgb(argb, h, w);
    }

    private FloatImage fromArgb(int[] argb, int h, int w) {
        FloatImage rgb = FloatImage.fromArgb(argb, h, w);
        return gray ? toGray(rgb) : rgb;
    }

    /**
     * BT.601 luma of an RGB image (a 1-channel image is returned as is).
     *
     * @param rgb 3-channel image
     * @return 1-channel image
     */
    public static FloatImage toGray(FloatImage rgb) {
        if (rgb.channels() == 1) {
            return rgb;
        }
        int plane = rgb.height() * rgb.width();
        float[] s = rgb.data();
        float[] d = new float[plane];
        for (int i = 0; i < plane; i++) {
            d[i] = 0.299f * s[i] + 0.587f * s[plane + i] + 0.114f * s[2 * plane + i];
        }
        return new FloatImage(d, 1, rgb.height(), rgb.width());
    }
}
