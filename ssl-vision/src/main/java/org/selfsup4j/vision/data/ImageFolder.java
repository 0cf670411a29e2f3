package org.selfsup4j.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.RandomResizedCrop;
import org.selfsup4j.core.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an image folder into memory: either one subfolder per class ({@code root/<class>/*.png|jpg},
 * classes sorted by name, as torchvision's {@code ImageFolder}), or a flat folder of images (unlabelled:
 * labels -1, no class names, {@link LabeledImages#labelled()} false, so a caller can pretrain on it
 * and say that evaluation needs labels). Files are sorted by name, so the order is the same on every
 * machine.
 *
 * <p>A file that fails to decode raises {@link ImageDecodeException}, unless {@link Options#skipBad()}
 * is set: then bad files are skipped, each named in a WARN log line, and reading stops with an
 * {@link ImageDecodeException} once more files are bad than the skip budget
 * {@link #skipBudget(int, double) max(1, ceil(maxBadFraction * files))} allows (default fraction
 * {@link #MAX_BAD_FRACTION}; the floor of one lets a small folder hold one bad file).
 *
 * <p>Batching needs one shape. With {@link Options#withImageSize(int)} every image is resized
 * (bilinear) to that square side. Without it, the most common size wins (ties: the first file's);
 * an image of another size is an error when strict, and a bad file, skipped within the budget, when
 * skipping.
 */
public final class ImageFolder {
    /** Default skip budget: 1% of the files (at least one file, see {@link #skipBudget}). */
    public static final double MAX_BAD_FRACTION = 0.01;
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /**
     * How to read.
     *
     * @param decoder the decoder (pixel limit and decode budget, RGB or gray)
     * @param skipBad skip undecodable or odd-size files (counted, logged, within the skip budget) instead
     *     of failing
     * @param size resize every image to size x size (bilinear), at most
     *     {@link RandomResizedCrop#MAX_SIZE}, or 0 to keep sizes (the most common one is required)
     * @param limitPerClass read at most this many files per class (0 = all), for quick runs
     * @param maxBadFraction the skip budget's fraction of the files, in [0, 1]; the budget is
     *     {@link #skipBudget(int, double)}
     */
    public record Options(ImageDecoder decoder, boolean skipBad, int size, int limitPerClass, double maxBadFraction) {
        /** Checks the values. */
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
            Checks.probability("ImageFolder.Options", "maxBadFraction", maxBadFraction);
        }

        /**
         * Options with the default skip budget ({@link #MAX_BAD_FRACTION}).
         *
         * @param decoder the decoder
         * @param skipBad skip bad files
         * @param size square side to resize to, or 0
         * @param limitPerClass files per class, or 0 for all
         */
        public Options(ImageDecoder decoder, boolean skipBad, int size, int limitPerClass) {
            this(decoder, skipBad, size, limitPerClass, MAX_BAD_FRACTION);
        }

        /** RGB, strict, no resizing, all files. */
        public static Options defaults() {
            return new Options(ImageDecoder.rgb(), false, 0, 0, MAX_BAD_FRACTION);
        }

        /** The same options, skipping bad files or not. */
        public Options withSkipBad(boolean skip) {
            return new Options(decoder, skip, size, limitPerClass, maxBadFraction);
        }

        /** The same options with a file limit per class. */
        public Options withLimitPerClass(int limit) {
            return new Options(decoder, skipBad, size, limit, maxBadFraction);
        }

        /**
         * The same options, resizing every image (bilinear, aspect ratio not kept) to a square side: the
         * library side of the examples' {@code --image-size}; a folder of mixed sizes then loads whole.
         *
         * @param side the side in pixels, &gt; 0, or 0 to keep sizes (the most common one is required)
         * @return the options
         */
        public Options withImageSize(int side) {
            return new Options(decoder, skipBad, Checks.nonNegative("ImageFolder.Options.withImageSize", "side",
                    side), limitPerClass, maxBadFraction);
        }

        /**
         * The same options with another skip budget fraction.
         *
         * @param fraction the fraction of files that may be skipped, in [0, 1] (at least one file is)
         * @return the options
         */
        public Options withMaxBadFraction(double fraction) {
            return new Options(decoder, skipBad, size, limitPerClass, fraction);
        }

        /** The same options with another decoder (pixel limit, gray or RGB). */
        public Options withDecoder(ImageDecoder d) {
            return new Options(d, skipBad, size, limitPerClass, maxBadFraction);
        }
    }

    /**
     * What a read produced.
     *
     * @param images the dataset
     * @param badFiles files skipped (empty unless skipping): undecodable or of an odd size
     */
    public record Result(LabeledImages images, List<Path> badFiles) {
        /** Copies the list. */
        public Result {
            badFiles = List.copyOf(badFiles);
        }
    }

    private ImageFolder() {
    }

    /**
     * The skip budget: how many of {@code files} may be skipped.
     *
     * @param files number of image files found
     * @param fraction the fraction allowed, in [0, 1]
     * @return {@code max(1, ceil(fraction * files))}; floor(1%) let a folder of fewer than 100 files hold
     *     no bad file at all
     */
    public static long skipBudget(int files, double fraction) {
        Checks.nonNegative("ImageFolder.skipBudget", "files", files);
        Checks.probability("ImageFolder.skipBudget", "fraction", fraction);
        // The small epsilon keeps 1% of 100 at exactly 1, not 2 from 1.0000000000000002.
        return Math.max(1, (long) Math.ceil(fraction * files - 1e-9));
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
     * @throws ImageDecodeException for a bad or odd-size file (strict), or when more files are bad than
     *     the skip budget allows (skipping)
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
        long maxBad = skipBudget(files.size(), options.maxBadFraction());
        List<FloatImage> decoded = new ArrayList<>(files.size());
        List<Integer> decodedIndex = new ArrayList<>(files.size());
        List<Path> bad = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            FloatImage img;
            try {
                img = options.decoder().decode(f);
            } catch (ImageDecodeException e) {
                if (!options.skipBad()) {
                    throw e;
                }
                skip(root, files.size(), bad, maxBad, options, f, e.getMessage(), e);
                continue;
            }
            if (options.size() > 0 && (img.height() != options.size() || img.width() != options.size())) {
                // the whole image as the crop box: a plain resize on the tensor path, as the views resize
                img = new RandomResizedCrop(options.size()).apply(img,
                        new RandomResizedCrop.Params(0, 0, img.height(), img.width()));
            }
            decoded.add(img);
            decodedIndex.add(i);
        }
        if (decoded.isEmpty()) {
            throw new ImageDecodeException(files.get(0), ImageDecodeException.Reason.CORRUPT, "none of the "
                    + files.size() + " files in " + root + " could be decoded", null);
        }
        // One shape for batching: the most common one (first seen on ties), so one odd file is the one skipped.
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (FloatImage img : decoded) {
            counts.merge(shapeOf(img), 1, Integer::sum);
        }
        String common = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Path exemplar = null;
        for (int k = 0; k < decoded.size() && exemplar == null; k++) {
            if (shapeOf(decoded.get(k)).equals(common)) {
                exemplar = files.get(decodedIndex.get(k));
            }
        }
        List<FloatImage> images = new ArrayList<>(decoded.size());
        List<Integer> labels = new ArrayList<>(decoded.size());
        for (int k = 0; k < decoded.size(); k++) {
            FloatImage img = decoded.get(k);
            Path f = files.get(decodedIndex.get(k));
            if (!shapeOf(img).equals(common)) {
                String detail = "image is " + shapeOf(img) + " but " + counts.get(common) + " of the images (e.g. "
                        + exemplar + ") are " + common + " (set Options.withImageSize to resize)";
                if (!options.skipBad()) {
                    throw new ImageDecodeException(f, ImageDecodeException.Reason.CORRUPT, detail, null);
                }
                skip(root, files.size(), bad, maxBad, options, f, f + ": " + detail, null);
                continue;
            }
            images.add(img);
            labels.add(fileLabels.get(decodedIndex.get(k)));
        }
        if (!bad.isEmpty()) {
            LOG.warn("{}: skipped {} bad file(s) of {} (skip budget {})", root, bad.size(), files.size(), maxBad);
        }
        int[] ls = labels.stream().mapToInt(Integer::intValue).toArray();
        Path name = root.getFileName();
        Path parent = root.getParent() == null ? null : root.getParent().getFileName();
        String n = (parent == null ? "" : parent + "/") + (name == null ? root.toString() : name.toString());
        return new Result(new LabeledImages(n, images, ls, classes), bad);
    }

    /** Records a skipped file, logs it by name, and stops the read once the budget is spent. */
    private static void skip(Path root, int total, List<Path> bad, long maxBad, Options options, Path f,
            String why, Throwable cause) throws ImageDecodeException {
        bad.add(f);
        LOG.warn("Skipping bad image {} ({} so far, budget {}): {}", f, bad.size(), maxBad, why);
        if (bad.size() > maxBad) {
            throw new ImageDecodeException(f, ImageDecodeException.Reason.CORRUPT, bad.size() + " of " + total
                    + " files in " + root + " are bad, more than " + (options.maxBadFraction() * 100)
                    + "% allows (skip budget max(1, ceil(" + options.maxBadFraction() + " x " + total + ")) = "
                    + maxBad + " file(s)); last: " + why, cause);
        }
    }

    private static String shapeOf(FloatImage img) {
        return img.channels() + "x" + img.height() + "x" + img.width();
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
