package org.selfsup4j.vision.methods;

import java.util.Arrays;
import java.util.List;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.augment.loader.BatchLoader;
import org.selfsup4j.core.train.Trainer;

/**
 * Times the training step of a method, to plan a run's step count from a time budget: a throwaway
 * copy of the run takes {@link #WARMUP_STEPS} untimed steps, then groups of {@link #TIMED_STEPS}
 * timed ones until a group is no more than 10% faster than the group before ({@link #SETTLED}), at
 * most {@link #MAX_GROUPS} groups; the plan uses the last group's median. The median, because a plan
 * made from a step that happened to share the CPU with another process would end the run long before
 * its budget; groups until the times settle, because a multi-crop step (two input sizes, each with
 * its own kernels to compile and workspaces to grow) kept getting faster for tens of steps: timed on
 * the first ten, DINO with 2 local crops planned 1.51 s per step and ran at 0.40, so its 25-minute
 * run ended after 6.6 minutes.
 */
public final class StepCalibration {
    /** Untimed steps first (allocation, JIT). */
    public static final int WARMUP_STEPS = 2;
    /** Timed steps per group. */
    public static final int TIMED_STEPS = 8;
    /** The most groups timed. */
    public static final int MAX_GROUPS = 6;
    /** A group's median at least this share of the previous group's ends the calibration. */
    public static final double SETTLED = 0.9;
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
        try (BatchLoader<List<FloatImage>, ViewBatch> loader = ImageCollate.loader(images, probe.views(), seed)
                .batchSize(batch).workers(workers).epoch(0).shuffle(true).dropLast(true).build()) {
            double median = settledStepSeconds(() -> {
                if (!loader.hasNext()) {
                    return Double.NaN;
                }
                long start = System.nanoTime();
                t.step(loader.next().toINDArrays(), 1);
                return (System.nanoTime() - start) / 1e9;
            });
            if (Double.isNaN(median)) {
                throw new IllegalStateException("StepCalibration.medianStepSeconds: the training set holds fewer than "
                        + (WARMUP_STEPS + 1) + " batches of " + batch);
            }
            return median;
        }
    }

    /** One timed step of the probe. */
    @FunctionalInterface
    interface TimedStep {
        /** @return the step's seconds, or NaN when there is no batch left */
        double run();
    }

    /**
     * The calibration's rule on a sequence of steps: {@link #WARMUP_STEPS} untimed, then groups of
     * {@link #TIMED_STEPS} until one is settled ({@link #SETTLED}) or {@link #MAX_GROUPS} are done.
     *
     * @return the median of the last group (a partial one when the batches ran out), NaN when no
     *         step was timed
     */
    static double settledStepSeconds(TimedStep step) {
        for (int i = 0; i < WARMUP_STEPS; i++) {
            if (Double.isNaN(step.run())) {
                return Double.NaN;
            }
        }
        double previous = Double.NaN;
        for (int g = 0; g < MAX_GROUPS; g++) {
            double[] seconds = new double[TIMED_STEPS];
            int n = 0;
            while (n < TIMED_STEPS) {
                double s = step.run();
                if (Double.isNaN(s)) {
                    break;
                }
                seconds[n++] = s;
            }
            if (n == 0) {
                return previous;
            }
            double[] sorted = Arrays.copyOf(seconds, n);
            Arrays.sort(sorted);
            double median = sorted[n / 2];
            if (n < TIMED_STEPS || (!Double.isNaN(previous) && median >= SETTLED * previous)) {
                return median;
            }
            previous = median;
        }
        return previous;
    }
}
