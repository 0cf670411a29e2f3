package org.selfsup4j.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.RandomResizedCrop;
import org.selfsup4j.core.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an image folder into memory: either one subfolder per class ({@code root/<class>/*.png|jpg},
 * classes sorted by name, as torchvision's {@code ImageFolder}), or a flat folder of images (unlabelled,
 * labels -1). Files are sorted by name, so the order is the same on every machine.
 *
 * <p>A file that fails to decode raises {@link ImageDecodeException}, unless {@link Options#skipBad()}
 * is set: then bad files are skipped, counted and logged, and reading stops with an
 * {@link ImageDecodeException} once more than {@link #MAX_BAD_FRACTION} of the files are bad.
 * Images whose size differs from the first one's are resized only when {@link Options#size()} is set;
 * otherwise a mismatch is an error (batching needs one shape).
 */
public final class ImageFolder {
    /** Skipping stops when more than 1% of the files are bad. */
    public static final double MAX_BAD_FRACTION = 0.01;
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /**
     * How to read.
     *
     * @param decoder the decoder (pixel limit, RGB or gray)
     * @param skipBad skip undecodable files (counted, logged, at most 1%) instead of failing
     * @param size resize every image to size x size (bilinear), at most
     *     {@link RandomResizedCrop#MAX_SIZE}, or 0 to require equal sizes
     * @param limitPerClass read at most this many files per class (0 = all), for quick runs
     */
    public record Options(ImageDecoder decoder, boolean skipBad, int size, int limitPerClass) {
        public Options {
            Checks.notNull("ImageFolder.Options", "decoder", decoder);
            if (size < 0 || limitPerClass < 0) {
                throw new IllegalArgumentException("ImageFolder.Options: size and limitPerClass must be >= 0, got "
                        + size + " and " + limitPerClass);
            }
            // The resize goes through RandomResizedCrop, which has this bound: fail here, not mid-read.
            if (size > RandomResizedCrop.MAX_SIZE) {
                throw new IllegalArgumentException("ImageFolder.Options: size must be <= " + RandomResizedCrop.MAX_SIZE
                        + ", got " + size);
            }
        }

        /** RGB, strict, no resizing, all files. */
        public static Options defaults() {
            return new Options(ImageDecoder.rgb(), false, 0, 0);
        }

        /** The same options, skipping bad files or not. */
        public Options withSkipBad(boolean skip) {
            return new Options(decoder, skip, size, limitPerClass);
        }

        /** The same options with a file limit per class. */
        public Options withLimitPerClass(int limit) {
            return new Options(decoder, skipBad, size, limit);
        }
    }

    /**
     * What a read produced.
     *
     * @param images the dataset
     * @param badFiles files skipped (empty unless skipping)
     */
    public record Result(LabeledImages images, List<Path> badFiles) {
        public Result {
            badFiles = List.copyOf(badFiles);
        }
    }

    private ImageFolder() {
    }

    /**
     * Reads a folder with default options (strict).
     *
     * @param root the folder
     * @return the images
     * @throws ImageDecodeException for the first undecodable file
     */
    public static LabeledImages read(Path root) throws ImageDecodeException {
        return read(root, Options.defaults()).images();
    }

    /**
     * Reads a folder.
     *
     * @param root class subfolders, or images directly
     * @param options how to read
     * @return the images and the skipped files
     * @throws ImageDecodeException for a bad file (strict), or when more than 1% are bad (skipping)
     * @throws IllegalArgumentException if root is not a folder or holds no images
     */
    public static Result read(Path root, Options options) throws ImageDecodeException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("ImageFolder.read: expected a folder, got " + root);
        }
        List<Path> classDirs = list(root).stream().filter(Files::isDirectory).toList();
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> fileLabels = new ArrayList<>();
        if (classDirs.isEmpty()) {
            for (Path f : imagesIn(root, options.limitPerClass())) {
                files.add(f);
                fileLabels.add(-1);
            }
        } else {
            for (Path d : classDirs) {
                List<Path> fs = imagesIn(d, options.limitPerClass());
                if (fs.isEmpty()) {
                    continue;
                }
                int label = classes.size();
                classes.add(d.getFileName().toString());
                for (Path f : fs) {
                    files.add(f);
                    fileLabels.add(label);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("ImageFolder.read: no image files (" + EXTENSIONS + ") in " + root);
        }
        List<FloatImage> images = new ArrayList<>(files.size());
        List<Integer> labels = new ArrayList<>(files.size());
        List<Path> bad = new ArrayList<>();
        long maxBad = (long) Math.floor(files.size() * MAX_BAD_FRACTION);
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            FloatImage img;
            try {
                img = options.decoder().decode(f);
            } catch (ImageDecodeException e) {
                if (!options.skipBad()) {
                    throw e;
                }
                bad.add(f);
                LOG.warn("Skipping bad image ({} so far): {}", bad.size(), e.getMessage());
                if (bad.size() > maxBad) {
                    throw new ImageDecodeException(f, ImageDecodeException.Reason.CORRUPT, bad.size() + " of "
                            + files.size() + " files in " + root + " are bad, more than "
                            + (MAX_BAD_FRACTION * 100) + "%; last: " + e.getMessage(), e);
                }
                continue;
            }
            if (options.size() > 0 && (img.height() != options.size() || img.width() != options.size())) {
                // the whole image as the crop box: a plain resize on the tensor path, as the views resize
                img = new RandomResizedCrop(options.size()).apply(img,
                        new RandomResizedCrop.Params(0, 0, img.height(), img.width()));
            }
            if (!images.isEmpty()) {
                FloatImage first = images.get(0);
                if (img.height() != first.height() || img.width() != first.width()
                        || img.channels() != first.channels()) {
                    throw new ImageDecodeException(f, ImageDecodeException.Reason.CORRUPT, "image is "
                            + img.channels() + "x" + img.height() + "x" + img.width() + " but " + files.get(0)
                            + " is " + first.channels() + "x" + first.height() + "x" + first.width()
                            + " (set Options.size to resize)", null);
                }
            }
            images.add(img);
            labels.add(fileLabels.get(i));
        }
        if (!bad.isEmpty()) {
            LOG.warn("{}: skipped {} bad file(s) of {}", root, bad.size(), files.size());
        }
        int[] ls = labels.stream().mapToInt(Integer::intValue).toArray();
        Path name = root.getFileName();
        Path parent = root.getParent() == null ? null : root.getParent().getFileName();
        String n = (parent == null ? "" : parent + "/") + (name == null ? root.toString() : name.toString());
        return new Result(new LabeledImages(n, images, ls, classes), bad);
    }

    private static List<Path> imagesIn(Path dir, int limit) {
        List<Path> fs = list(dir).stream().filter(Files::isRegularFile).filter(ImageFolder::isImageName).toList();
        return limit > 0 && fs.size() > limit ? fs.subList(0, limit) : fs;
    }

    private static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: cannot list " + dir, e);
        }
    }
}
