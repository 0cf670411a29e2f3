package org.selfsup4j.benchmarks.augment;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.augment.loader.BatchLoader;

/**
 * Images per second through the augmentation loader: one epoch over {@value #N_IMAGES} CIFAR-10
 * images (decoded once in setup), two views per image, batches of 256 collated into
 * {@code [N, C, H, W]} float buffers, on {@code workers} loader threads. Recipes:
 * {@code simclr-cifar32} (SimCLR CIFAR: crop 32, flip, jitter 0.4/0.4/0.4/0.1 p=0.8, grayscale 0.2)
 * and {@code imagenet96} (SimCLR ImageNet-style at 96: jitter 0.8/0.8/0.8/0.2, blur k=9 p=0.5).
 * The scores are source images per second (each giving 2 views). The torchvision side is
 * {@code benchmarks/scripts/augment_torchvision.py}.
 *
 * <p>Run: {@code java -Dselfsup4j.datasets=/work/shared/datasets -jar benchmarks/target/benchmarks.jar
 * AugmentThroughput}. The images come from {@code <selfsup4j.datasets>/cifar10-subset/train}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(AugmentThroughputBenchmark.N_IMAGES)
public class AugmentThroughputBenchmark {
    /** Images per epoch. */
    public static final int N_IMAGES = 2048;
    private static final int BATCH = 256;

    /** Which recipe. */
    @Param({"simclr-cifar32", "imagenet96"})
    public String recipe;

    /** Loader threads. */
    @Param({"2"})
    public int workers;

    private List<FloatImage> images;
    private ViewPipeline<FloatImage> pipeline;
    private long epoch;

    /** Decodes the images and builds the pipeline. */
    @Setup
    public void setup() {
        images = loadImages(N_IMAGES);
        pipeline = switch (recipe) {
            case "simclr-cifar32" -> ImageRecipes.simclrCifar();
            case "imagenet96" -> ImageRecipes.simclrImageNet(96);
            default -> throw new IllegalArgumentException("unknown recipe " + recipe);
        };
    }

    /**
     * One epoch through the loader.
     *
     * @param bh sink
     */
    @Benchmark
    public void epoch(Blackhole bh) {
        try (BatchLoader<List<FloatImage>, ViewBatch> loader = ImageCollate.loader(images, pipeline, 1234)
                .batchSize(BATCH).workers(workers).epoch(epoch++).build()) {
            while (loader.hasNext()) {
                bh.consume(loader.next());
            }
        }
    }

    /**
     * The first {@code n} images of {@code cifar10-subset/train} in sorted (class, file) order, the
     * same list {@code augment_torchvision.py} takes.
     *
     * @param n number of images
     * @return the decoded images
     */
    static List<FloatImage> loadImages(int n) {
        File root = new File(System.getProperty("selfsup4j.datasets", "/work/shared/datasets"), "cifar10-subset/train");
        File[] classes = root.listFiles(File::isDirectory);
        if (classes == null) {
            throw new IllegalStateException("AugmentThroughputBenchmark: no image folder at " + root);
        }
        Arrays.sort(classes);
        List<File> files = new ArrayList<>();
        for (File c : classes) {
            File[] fs = c.listFiles((d, name) -> name.endsWith(".jpg") || name.endsWith(".png"));
            Arrays.sort(fs);
            files.addAll(Arrays.asList(fs));
        }
        List<FloatImage> out = new ArrayList<>(n);
        for (File f : files.subList(0, Math.min(n, files.size()))) {
            try {
                BufferedImage bi = ImageIO.read(f);
                int w = bi.getWidth();
                int h = bi.getHeight();
                out.add(FloatImage.fromArgb(bi.getRGB(0, 0, w, h, null, 0, w), h, w));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (out.size() < n) {
            throw new IllegalStateException("AugmentThroughputBenchmark: need " + n + " images, found " + out.size());
        }
        return out;
    }
}
