package org.selfsup4j.vision.methods;

import java.util.Arrays;
import java.util.List;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.augment.loader.BatchLoader;
import org.selfsup4j.core.train.Trainer;

/**
 * Times the training step of a method, to plan a run's step count from a time budget: the median
 * step time of a throwaway copy of the run after {@link #WARMUP_STEPS} warm-up steps. The median of
 * several steps, because a plan made from a step that happened to share the CPU with another process
 * would end the run long before its budget.
 */
public final class StepCalibration {
    /** Untimed steps first (allocation, JIT). */
    public static final int WARMUP_STEPS = 2;
    /** Timed steps. */
    public static final int TIMED_STEPS = 8;
    /** Planned steps of the throwaway copy (its schedules read it; the value does not change a step's cost). */
    static final long PROBE_STEPS = 1000;

    private StepCalibration() {
    }

    /**
     * @param method the method's name ({@link Methods#NAMES})
     * @param cfg the run's configuration (its planned steps are replaced by {@link #PROBE_STEPS})
     * @param images the training images
     * @param seed the trainer's and loader's seed
     * @param batch images per step
     * @param workers augmentation threads
     * @return the median seconds per step
     * @throws IllegalStateException when the images hold fewer than {@code WARMUP_STEPS + 1} batches
     */
    public static double medianStepSeconds(String method, MethodConfig cfg, List<FloatImage> images, long seed,
            int batch, int workers) {
        return medianStepSeconds(method, cfg, MethodOptions.defaults(method), images, seed, batch, workers);
    }

    /**
     * As {@link #medianStepSeconds(String, MethodConfig, List, long, int, int)}, for the run's options
     * (local crops and the optimizer change a step's cost).
     *
     * @param method the method's name ({@link Methods#NAMES})
     * @param cfg the run's configuration (its planned steps are replaced by {@link #PROBE_STEPS})
     * @param options the run's views, optimizer and hyperparameters
     * @param images the training images
     * @param seed the trainer's and loader's seed
     * @param batch images per step
     * @param workers augmentation threads
     * @return the median seconds per step
     * @throws IllegalStateException when the images hold fewer than {@code WARMUP_STEPS + 1} batches
     */
    public static double medianStepSeconds(String method, MethodConfig cfg, MethodOptions options,
            List<FloatImage> images, long seed, int batch, int workers) {
        MethodConfig probeCfg = new MethodConfig(cfg.backbone(), cfg.imageSize(), PROBE_STEPS, cfg.learningRate(),
                cfg.hidden(), cfg.out(), cfg.normalize());
        PretrainSetup probe = Methods.assemble(method, probeCfg, options);
        Trainer t = new Trainer(Trainer.Config.of(seed, PROBE_STEPS), probe.encoder(), probe.objective(),
                probe.optimizer());
        double[] seconds = new double[TIMED_STEPS];
        int n = 0;
        try (BatchLoader<List<FloatImage>, ViewBatch> loader = ImageCollate.loader(images, probe.views(), seed)
                .batchSize(batch).workers(workers).epoch(0).shuffle(true).dropLast(true).build()) {
            for (int i = 0; i < WARMUP_STEPS + TIMED_STEPS && loader.hasNext(); i++) {
                long start = System.nanoTime();
                t.step(loader.next().toINDArrays(), 1);
                if (i >= WARMUP_STEPS) {
                    seconds[n++] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("StepCalibration.medianStepSeconds: the training set holds fewer than "
                    + (WARMUP_STEPS + 1) + " batches of " + batch);
        }
        double[] sorted = Arrays.copyOf(seconds, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }
}
