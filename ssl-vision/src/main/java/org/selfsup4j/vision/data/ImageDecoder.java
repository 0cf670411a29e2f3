package org.selfsup4j.vision.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
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
 * <p>Failures raise {@link ImageDecodeException} naming the file. Instances are immutable and
 * thread-safe.
 */
public final class ImageDecoder {
    /** Pillow's default decompression-bomb limit, {@code 1024 * 1024 * 1024 / 4 / 3} pixels. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    private final long maxPixels;
    private final boolean gray;

    /**
     * @param maxPixels largest accepted width * height (&gt; 0)
     * @param gray true for 1-channel output, false for RGB
     */
    public ImageDecoder(long maxPixels, boolean gray) {
        this.maxPixels = Checks.positive("ImageDecoder", "maxPixels", maxPixels);
        this.gray = gray;
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

    /** @return whether output is one channel */
    public boolean gray() {
        return gray;
    }

    /**
     * Decodes one file.
     *
     * @param file the image file
     * @return the image, CHW in [0, 1], 3 channels (1 if gray)
     * @throws ImageDecodeException if the file cannot be read, is not an image, is truncated or corrupt,
     *     or declares more than {@link #maxPixels()} pixels
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
                return convert(file, reader);
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
        int[] px = r.getPixels(r.getMinX(), r.getMinY(), w, h, (int[]) null);
        int[] argb = new int[w * h];
        for (int i = 0; i < w * h; i++) {
            // Adobe JPEGs store inverted ink: the raster value is 255 - ink, so R = v_c * v_k / 255.
            int c = px[4 * i];
            int m = px[4 * i + 1];
            int y = px[4 * i + 2];
            int k = px[4 * i + 3];
            int rr = c * k / 255;
            int gg = m * k / 255;
            int bb = y * k / 255;
            argb[i] = 0xFF000000 | (rr << 16) | (gg << 8) | bb;
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
