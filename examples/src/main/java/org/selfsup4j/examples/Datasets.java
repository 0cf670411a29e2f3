package org.selfsup4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.vision.data.ImageDecodeException;
import org.selfsup4j.vision.data.ImageFolder;
import org.selfsup4j.vision.data.IdxReader;
import org.selfsup4j.vision.data.LabeledImages;

/** Loading the example's data: an image folder, or an IDX (MNIST-style) folder. */
final class Datasets {
    static final List<String> FASHION_CLASSES = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle-boot");

    private Datasets() {
    }

    static boolean isIdx(Path dir) {
        return Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                || Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"));
    }

    /** Reads an image folder (skipping bad files) or the train / t10k split of an IDX folder. */
    static LabeledImages load(Path dir, boolean evalSplit, int limitPerClass) throws IOException, ImageDecodeException {
        return load(dir, evalSplit, limitPerClass, 0);
    }

    /**
     * As {@link #load(Path, boolean, int)}, resizing a folder's images to {@code imageSize} squares
     * (0: keep the folder's most common size; IDX files have one size and are never resized).
     */
    static LabeledImages load(Path dir, boolean evalSplit, int limitPerClass, int imageSize)
            throws IOException, ImageDecodeException {
        if (isIdx(dir)) {
            List<String> names = dir.getFileName().toString().contains("fashion") ? FASHION_CLASSES : null;
            LabeledImages all = IdxReader.readSplit(dir, evalSplit ? "t10k" : "train", names);
            return limitPerClass > 0 ? all.head(limitPerClass * all.numClasses()) : all;
        }
        return ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true)
                .withLimitPerClass(limitPerClass).withImageSize(imageSize)).images();
    }

    /** Per-channel mean and std of a dataset (as torchvision users compute for Normalize). */
    static Normalize statistics(LabeledImages data) {
        int c = data.images().get(0).channels();
        double[] sum = new double[c];
        double[] sq = new double[c];
        long count = 0;
        for (FloatImage img : data.images()) {
            int plane = img.height() * img.width();
            float[] d = img.data();
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < plane; i++) {
                    double v = d[ch * plane + i];
                    sum[ch] += v;
                    sq[ch] += v * v;
                }
            }
            count += plane;
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(Math.max(1e-8, sq[ch] / count - m * m));
        }
        return new Normalize(mean, std);
    }
}
