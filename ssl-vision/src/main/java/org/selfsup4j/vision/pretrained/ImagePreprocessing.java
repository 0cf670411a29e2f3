package org.selfsup4j.vision.pretrained;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.augment.image.RandomResizedCrop;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.vision.data.ImageDecoder;

/**
 * What an image goes through before an image encoder, as in training and in the probes: samples in
 * [0, 1] (8-bit values / 255), converted to {@code channels} (RGB to gray by BT.601 luma as
 * {@link ImageDecoder#grayscale()}; gray to RGB by repeating the plane), resized as a whole to
 * {@code imageSize x imageSize} by bilinear interpolation when its size differs (as
 * {@code ImageFolder.Options.size}; the aspect ratio is not kept, nothing is cropped), then
 * {@code (x - mean[c]) / std[c]}.
 *
 * <p>In the file: {@code {"imageSize":32,"channels":3,"range":"0..1","resize":"bilinear-whole-image",
 * "mean":[..],"std":[..]}}.
 *
 * @param imageSize side of the square input the backbone was trained on
 * @param channels  1 or 3
 * @param mean      per-channel means, {@code channels} values (copied)
 * @param std       per-channel standard deviations, {@code channels} positive values (copied)
 */
public record ImagePreprocessing(int imageSize, int channels, float[] mean, float[] std) {
    /** The {@code resize} value: the whole image, bilinear, to a square. */
    public static final String RESIZE = "bilinear-whole-image";
    /** The {@code range} value: samples in [0, 1] before normalisation. */
    public static final String RANGE = "0..1";

    /** Validates and copies. */
    public ImagePreprocessing {
        Checks.positive("ImagePreprocessing", "imageSize", imageSize);
        Checks.argument(channels == 1 || channels == 3, "ImagePreprocessing", "channels must be 1 or 3, got " + channels);
        Checks.notNull("ImagePreprocessing", "mean", mean);
        Checks.notNull("ImagePreprocessing", "std", std);
        Checks.argument(mean.length == channels && std.length == channels, "ImagePreprocessing",
                "mean and std need " + channels + " values, got " + mean.length + " and " + std.length);
        mean = mean.clone();
        std = std.clone();
        new Normalize(mean, std); // its checks: finite means, finite positive deviations
    }

    /**
     * @param imageSize side of the training images
     * @param normalize the normalisation of training and probes
     * @return the preprocessing, channels from the statistics
     */
    public static ImagePreprocessing of(int imageSize, Normalize normalize) {
        Checks.notNull("ImagePreprocessing.of", "normalize", normalize);
        return new ImagePreprocessing(imageSize, normalize.mean().length, normalize.mean(), normalize.std());
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** @return the normalisation step alone */
    public Normalize normalize() {
        return new Normalize(mean, std);
    }

    /**
     * @param image an image with samples in [0, 1], any size, 1 or 3 channels
     * @return the backbone's input: {@code channels x imageSize x imageSize}, normalised
     */
    public FloatImage apply(FloatImage image) {
        Checks.notNull("ImagePreprocessing.apply", "image", image);
        FloatImage x = image;
        if (x.channels() == 3 && channels == 1) {
            x = ImageDecoder.toGray(x);
        } else if (x.channels() == 1 && channels == 3) {
            int plane = x.height() * x.width();
            float[] d = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(x.data(), 0, d, c * plane, plane);
            }
            x = new FloatImage(d, 3, x.height(), x.width());
        }
        if (x.height() != imageSize || x.width() != imageSize) {
            // the whole image, resized as ImageFolder resizes a folder of mixed sizes
            x = new RandomResizedCrop(imageSize).apply(x, new RandomResizedCrop.Params(0, 0, x.height(), x.width()));
        }
        return new Normalize(mean, std).apply(x);
    }

    /** @return the header's {@code preprocessing} object */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("imageSize", imageSize).put("channels", channels).put("range", RANGE).put("resize", RESIZE);
        ArrayNode m = o.putArray("mean");
        ArrayNode s = o.putArray("std");
        for (int c = 0; c < channels; c++) {
            m.add(mean[c]);
            s.add(std[c]);
        }
        return o;
    }

    /**
     * @param f the header's {@code preprocessing} object
     * @return the preprocessing
     * @throws CorruptEncoderFileException naming the field that is missing or invalid
     */
    public static ImagePreprocessing fromJson(HeaderFields f) throws CorruptEncoderFileException {
        int size = f.integer("imageSize", 1);
        int channels = f.integer("channels", 1);
        if (channels != 1 && channels != 3) {
            throw f.invalid("channels", "must be 1 or 3, got " + channels);
        }
        if (!RANGE.equals(f.text("range"))) {
            throw f.invalid("range", "must be \"" + RANGE + "\", got \"" + f.text("range") + "\"");
        }
        if (!RESIZE.equals(f.text("resize"))) {
            throw f.invalid("resize", "must be \"" + RESIZE + "\", got \"" + f.text("resize") + "\"");
        }
        float[] mean = f.floats("mean");
        float[] std = f.floats("std");
        if (mean.length != channels) {
            throw f.invalid("mean", "must hold " + channels + " values, got " + Arrays.toString(mean));
        }
        if (std.length != channels) {
            throw f.invalid("std", "must hold " + channels + " values, got " + Arrays.toString(std));
        }
        for (int c = 0; c < channels; c++) {
            if (!(std[c] > 0)) {
                throw f.invalid("std", "must be positive, got " + Arrays.toString(std));
            }
        }
        return new ImagePreprocessing(size, channels, mean, std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePreprocessing p && p.imageSize == imageSize && p.channels == channels
                && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * imageSize + channels) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ImagePreprocessing[imageSize=" + imageSize + ", channels=" + channels + ", mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + "]";
    }
}
