package org.selfsup4j.augment.image;

import java.util.Arrays;

/**
 * A plain image: float samples in channel-major order (CHW), nominally in [0, 1], with 1 or 3
 * channels. The pixel at channel {@code c}, row {@code y}, column {@code x} is
 * {@code data[(c * height + y) * width + x]}.
 *
 * <p>Transforms never modify their input; they return a new image. The array is exposed without
 * copying for speed: callers that hand an image to a transform must not change it afterwards.
 * Equality and hash code compare the samples, not the array's identity.
 *
 * @param data the CHW samples (not a copy)
 * @param channels 1 or 3
 * @param height rows
 * @param width columns
 */
public record FloatImage(float[] data, int channels, int height, int width) {
    /**
     * Wraps {@code data} (not copied).
     *
     * @param data CHW samples, length {@code channels * height * width}; {@link #data()} returns it, not a copy
     * @param channels 1 or 3
     * @param height rows, &gt; 0
     * @param width columns, &gt; 0
     */
    public FloatImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("FloatImage: channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("FloatImage: height and width must be > 0, got " + height + "x" + width);
        }
        if (data == null || data.length != channels * height * width) {
            throw new IllegalArgumentException("FloatImage: data length must be channels*height*width = "
                    + channels * height * width + ", got " + (data == null ? "null" : data.length));
        }
    }

    /**
     * A zero image.
     *
     * @param channels 1 or 3
     * @param height rows
     * @param width columns
     * @return the image
     */
    public static FloatImage zeros(int channels, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("FloatImage.zeros: height and width must be > 0, got " + height + "x" + width);
        }
        return new FloatImage(new float[channels * height * width], channels, height, width);
    }

    /**
     * Converts packed 0xAARRGGBB pixels (row-major, as {@code BufferedImage.getRGB} returns them) to a
     * 3-channel image, dividing by 255 like torchvision's {@code ToTensor}. Alpha is ignored.
     *
     * @param argb pixels, length {@code height * width}
     * @param height rows
     * @param width columns
     * @return the image
     */
    public static FloatImage fromArgb(int[] argb, int height, int width) {
        if (argb == null || height <= 0 || width <= 0 || argb.length != height * width) {
            throw new IllegalArgumentException("FloatImage.fromArgb: argb length must be height*width = "
                    + (long) height * width + ", got " + (argb == null ? "null" : argb.length));
        }
        int plane = height * width;
        float[] d = new float[3 * plane];
        final float s = 1f / 255f;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            d[i] = ((p >>> 16) & 0xFF) * s;
            d[plane + i] = ((p >>> 8) & 0xFF) * s;
            d[2 * plane + i] = (p & 0xFF) * s;
        }
        return new FloatImage(d, 3, height, width);
    }

    /**
     * @param c channel
     * @param y row
     * @param x column
     * @return the sample
     */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** @return a deep copy */
    public FloatImage copy() {
        return new FloatImage(data.clone(), channels, height, width);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatImage f && f.channels == channels && f.height == height && f.width == width
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatImage[" + channels + "x" + height + "x" + width + "]";
    }
}
