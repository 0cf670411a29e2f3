package org.selfsup4j.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.kernel.HostArrays;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives an {@link Encoder} and any {@link Objective} through self-supervised training.
 *
 * <p>One step: zero gradients; concatenate the views along the batch axis into a reused buffer;
 * one encoder forward; the objective's loss and dLoss/dEmbedding per view; one encoder backward
 * (views of different shapes, as multi-crop's: one forward and backward per shape group, see
 * {@link #step});
 * the NaN guard; the optimizer update of encoder and objective parameters; the objective's
 * post-step hook (EMA, queue); listeners; a checkpoint every {@code checkpointEvery} steps.
 *
 * <p>NaN guard: the state a step mutates is backed up first, into copies allocated once and reused
 * (the encoder's buffers and the objective's state before the forward pass, parameters and optimizer
 * moments before the update: together exactly {@link #stateArrays()}, the checkpoint's enumeration).
 * If the loss or any gradient is not finite, or the update leaves a parameter, an optimizer moment,
 * a buffer or the objective's state (EMA target, queue, ...) non-finite, the step is skipped and all
 * of it is restored bit for bit; the objective's post-step hook does not run. Each skip is recorded
 * with its reason ({@link #skippedSteps()}). After {@link Config#maxConsecutiveNonFinite()} skips in
 * a row the trainer writes an emergency checkpoint and throws {@link NonFiniteLossException}.
 *
 * <p>Divergence without a NaN: a {@link DivergenceMonitor} ({@link Config#divergence()}) watches
 * every applied step's loss against the objective's {@link Objective#chanceLoss chance value}, the
 * collapse monitor's std and the encoder's buffers; its warnings are logged and kept
 * ({@link #warnings()}), and if it is set to stop, the trainer writes a checkpoint and throws
 * {@link DivergenceException}.
 *
 * <p>Determinism: data come from a {@link BatchSource} that is a function of the step, randomness
 * from {@link StepContext#random}, so a run is fixed by its seed and a resumed run reproduces the
 * original bit for bit (same machine; selfsup4j's own thread count does not matter, see
 * {@link org.selfsup4j.core.kernel.Parallel}).
 *
 * <p>Profiling: {@link #setProfiler} (none by default) receives the duration of every phase.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Metadata keys of a trainer checkpoint. */
    public static final String META_STEP = "step";
    public static final String META_SEED = "seed";
    public static final String META_TOTAL_STEPS = "totalSteps";
    public static final String META_FORMAT = "trainer";

    /**
     * Settings of a run.
     *
     * @param seed fixes the run
     * @param totalSteps steps to train (schedules read it)
     * @param checkpointDir folder for checkpoints, or null for none
     * @param checkpointEvery steps between checkpoints (0: only at the end and in an emergency)
     * @param keepLastCheckpoints how many checkpoints to keep
     * @param maxConsecutiveNonFinite non-finite steps in a row that stop the run
     * @param metadata extra provenance written into every checkpoint (config, dataset, ...)
     * @param divergence the divergence monitor's settings (null: {@link DivergenceMonitor.Config#defaults()})
     */
    public record Config(long seed, long totalSteps, Path checkpointDir, long checkpointEvery,
                         int keepLastCheckpoints, int maxConsecutiveNonFinite, Map<String, String> metadata,
                         DivergenceMonitor.Config divergence) {
        /** As BYOL/solo-learn runs do, keep a few recent checkpoints. */
        public static final int DEFAULT_KEEP_LAST = 3;
        /** Three non-finite steps in a row stop the run. */
        public static final int DEFAULT_MAX_NON_FINITE = 3;

        public Config {
            Checks.positive("Trainer.Config", "totalSteps", totalSteps);
            Checks.nonNegative("Trainer.Config", "checkpointEvery", checkpointEvery);
            Checks.positive("Trainer.Config", "keepLastCheckpoints", keepLastCheckpoints);
            Checks.positive("Trainer.Config", "maxConsecutiveNonFinite", maxConsecutiveNonFinite);
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            divergence = divergence == null ? DivergenceMonitor.Config.defaults() : divergence;
        }

        /** A run of {@code totalSteps} steps with no checkpoints. */
        public static Config of(long seed, long totalSteps) {
            return new Config(seed, totalSteps, null, 0, DEFAULT_KEEP_LAST, DEFAULT_MAX_NON_FINITE, Map.of(),
                    DivergenceMonitor.Config.defaults());
        }

        /** The same run with checkpoints in {@code dir} every {@code every} steps. */
        public Config withCheckpoints(Path dir, long every) {
            return new Config(seed, totalSteps, dir, every, keepLastCheckpoints, maxConsecutiveNonFinite, metadata,
                    divergence);
        }

        /** The same run with extra provenance in every checkpoint. */
        public Config withMetadata(Map<String, String> extra) {
            return new Config(seed, totalSteps, checkpointDir, checkpointEvery, keepLastCheckpoints,
                    maxConsecutiveNonFinite, extra, divergence);
        }

        /** The same run with another divergence monitor. */
        public Config withDivergence(DivergenceMonitor.Config monitor) {
            return new Config(seed, totalSteps, checkpointDir, checkpointEvery, keepLastCheckpoints,
                    maxConsecutiveNonFinite, metadata, Checks.notNull("Trainer.Config", "monitor", monitor));
        }
    }

    private final Config config;
    private final Encoder encoder;
    private final Objective objective;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final CheckpointStore store;
    private List<Parameter> allParameters;
    private long step;
    private int consecutiveNonFinite;
    private final ViewGroups viewGroups = new ViewGroups();
    private final StateBackup backup = new StateBackup();
    /** The running statistics from before a multi-crop step's repeated forwards ({@link #backwardGroups}). */
    private final StateBackup recomputeBackup = new StateBackup();
    private final DivergenceMonitor monitor;
    private final List<SkippedStep> skipped = new ArrayList<>();
    private final List<DivergenceWarning> warnings = new ArrayList<>();
    private final ThroughputMeter meter = new ThroughputMeter();
    private StepProfiler profiler;
    /** The first non-finite array the guard found after the update, for the skip's log line. */
    private String guardDetail;

    public Trainer(Config config, Encoder encoder, Objective objective, Optimizer optimizer) {
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.store = config.checkpointDir() == null ? null
                : new CheckpointStore(config.checkpointDir(), config.keepLastCheckpoints());
        this.monitor = new DivergenceMonitor(config.divergence());
    }

    /** Adds a progress listener. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The next step to run (0-based); equals the number of steps taken so far. */
    public long currentStep() {
        return step;
    }

    /** The run's settings. */
    public Config config() {
        return config;
    }

    /**
     * The steps the NaN guard skipped in this trainer's lifetime, in order, each with its reason (a
     * resumed run starts an empty list: the checkpoint does not carry it).
     */
    public List<SkippedStep> skippedSteps() {
        return Collections.unmodifiableList(skipped);
    }

    /** The divergence monitor's warnings in this trainer's lifetime, in order. */
    public List<DivergenceWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * Trains from the current step to {@link Config#totalSteps()}, saving a final checkpoint when a
     * checkpoint folder is set.
     *
     * @return the report of every step run by this call
     */
    public List<StepReport> fit(BatchSource source) {
        List<StepReport> reports = new ArrayList<>();
        while (step < config.totalSteps()) {
            reports.add(step(source.views(step), source.stepsPerEpoch()));
        }
        if (store != null && (config.checkpointEvery() == 0 || step % config.checkpointEvery() != 0)) {
            saveCheckpoint();
        }
        return reports;
    }

    /**
     * Runs one step on the given views.
     *
     * <p>Views of one shape are stacked and forwarded together; views of different shapes (multi-crop:
     * global and local crops) are forwarded one shape group at a time ({@link ViewGroups}), so each
     * group's batch norm sees its own batch; the objective gets every view's embedding in the given
     * order, and each group's gradients go back through its own backward. With one shape (the usual
     * case) it is one forward and one backward of all views, as before multi-crop.
     *
     * @param views each {@code [N, ...]}, the same N for all; views that differ in shape form groups
     * @param stepsPerEpoch to derive the epoch (use 1 if epochs do not apply)
     */
    public StepReport step(List<INDArray> views, long stepsPerEpoch) {
        long n = checkViews(views);
        StepContext ctx = new StepContext(step, config.totalSteps(), step / Math.max(1, stepsPerEpoch), config.seed());
        List<Parameter> params = parameters();
        timedRun(StepPhase.ZERO_GRAD, () -> zeroGradients(params));
        // the forward pass and the objective move batch-norm statistics, the objective's post-step hook its state
        Map<String, INDArray> stepState = state(false, true, true, false);
        timedRun(StepPhase.GUARD, () -> {
            backup.begin();
            backup.backup(stepState);
        });
        List<ViewGroups.Group> groups = viewGroups.arrange(views);
        List<INDArray> embeddings = forwardGroups(groups, views, n);
        ObjectiveOutput result = timed(StepPhase.LOSS, () -> objective.compute(views, embeddings, ctx));
        timedRun(StepPhase.GATHER_GRADIENTS, () -> gatherGradients(groups, result, n, views.size()));
        double std = timed(StepPhase.COLLAPSE_MONITOR, () -> CollapseMonitor.embeddingStd(embeddings.get(0)));
        // the optimizer overwrites parameters and moments
        Map<String, INDArray> updated = state(true, false, false, true);
        SkipReason reason = backwardIfFinite(result.loss(), groups, n, params, updated);
        double lr = optimizer.learningRate(step);
        if (reason == null) {
            reason = update(params, stepState, ctx);
        }
        if (reason == null) {
            consecutiveNonFinite = 0;
        } else {
            skipUpdate(reason, result.loss());
        }
        meter.tick();
        long taken = step;
        step++;
        StepReport report = new StepReport(taken, config.totalSteps(), ctx.epoch(), result.loss(), reason != null, lr,
                meter.stepsPerSecond(), meter.etaSeconds(config.totalSteps() - step), std, result.metrics());
        afterStep(report, objective.chanceLoss(n));
        return report;
    }

    /**
     * One training forward per group, in the groups' order; returns each view's embedding (rows of
     * its group's output, views not copies) in the views' order. Every group but the last keeps a
     * copy of its output: the encoder may reuse its output buffer on the next forward.
     */
    private List<INDArray> forwardGroups(List<ViewGroups.Group> groups, List<INDArray> views, long n) {
        INDArray[] embeddings = new INDArray[views.size()];
        for (int g = 0; g < groups.size(); g++) {
            ViewGroups.Group group = groups.get(g);
            INDArray input = timed(StepPhase.CONCAT_VIEWS, () -> group.stack(views, n));
            INDArray out = timed(StepPhase.FORWARD, () -> forward(group, input, n, groups.size()));
            group.keep(out, g < groups.size() - 1);
            for (int k = 0; k < group.views.length; k++) {
                embeddings[group.views[k]] = group.rows(group.output, k, n);
            }
        }
        return Arrays.asList(embeddings);
    }

    /** The encoder's training forward of one group; with several groups, a failure names the group's shape. */
    private INDArray forward(ViewGroups.Group group, INDArray input, long n, int groupCount) {
        if (groupCount == 1) {
            return encoder.forward(input, true);
        }
        try {
            return encoder.forward(input, true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Trainer.step: the encoder cannot take views of shape "
                    + group.describe(n) + " (views of different shapes are forwarded one shape at a time; a "
                    + "backbone without global pooling takes only the size it was built for): " + e.getMessage(), e);
        }
    }

    /**
     * Sets the profiler that receives the duration of every phase of every step, or none ({@code null},
     * the default: then no clock is read).
     *
     * @param profiler the profiler, or null
     * @return this trainer
     */
    public Trainer setProfiler(StepProfiler profiler) {
        this.profiler = profiler;
        return this;
    }

    /** @return the batch size N, the same for every view */
    private static long checkViews(List<INDArray> views) {
        Checks.argument(!views.isEmpty(), "Trainer.step", "need at least one view");
        long n = views.get(0).size(0);
        for (int i = 1; i < views.size(); i++) {
            if (views.get(i).rank() == 0 || views.get(i).size(0) != n) {
                throw new IllegalArgumentException("Trainer.step: views may differ in shape after the batch axis only "
                        + "(views of the same shape are forwarded together): expected view 0's batch size " + n
                        + ", got shape " + Arrays.toString(views.get(i).shape()) + " for view " + i);
            }
        }
        return n;
    }

    private static void zeroGradients(List<Parameter> params) {
        for (Parameter p : params) {
            if (HostArrays.dense(p.gradient().dataType(), p.gradient())) {
                HostArrays.zero(p.gradient());
            } else {
                p.zeroGradient();
            }
        }
    }

    /** The objective's embedding gradients, stacked like each group's output in the group's reused buffer. */
    private static void gatherGradients(List<ViewGroups.Group> groups, ObjectiveOutput result, long n, int nv) {
        if (result.embeddingGradients().size() != nv) {
            throw new IllegalStateException("Trainer.step: the objective returned " + result.embeddingGradients().size()
                    + " embedding gradients for " + nv + " views");
        }
        for (ViewGroups.Group group : groups) {
            INDArray gradOut = group.gradientBuffer();
            for (int k = 0; k < group.views.length; k++) {
                group.rows(gradOut, k, n).assign(result.embeddingGradients().get(group.views[k]));
            }
        }
    }

    /**
     * The NaN guard around the encoder's backward: null when loss and all gradients are finite, else
     * why not. When they are, it backs up {@code updated}, which the optimizer is about to overwrite.
     */
    private SkipReason backwardIfFinite(double loss, List<ViewGroups.Group> groups, long n, List<Parameter> params,
                                        Map<String, INDArray> updated) {
        SkipReason before = timed(StepPhase.GUARD, () -> !Double.isFinite(loss) ? SkipReason.NON_FINITE_LOSS
                : groups.stream().allMatch(g -> HostArrays.isFinite(g.gradient)) ? null : SkipReason.NON_FINITE_GRADIENT);
        if (before != null) {
            return before;
        }
        backwardGroups(groups);
        return timed(StepPhase.GUARD, () -> {
            if (!gradientsFinite(params)) {
                return SkipReason.NON_FINITE_GRADIENT;
            }
            backup.backup(updated);
            return null;
        });
    }

    /**
     * The encoder's backward of every group, the parameter gradients adding up: first the group
     * forwarded last (its activations are live), then each other one after forwarding it again (an
     * encoder remembers only its latest forward). The batch-norm running statistics are put back
     * after those repeated forwards, so each group moves them once per step.
     */
    private void backwardGroups(List<ViewGroups.Group> groups) {
        int last = groups.size() - 1;
        timedRun(StepPhase.BACKWARD, () -> encoder.backward(groups.get(last).gradient));
        if (last == 0) {
            return;
        }
        recomputeBackup.begin();
        recomputeBackup.backup(encoder.buffers());
        for (int g = last - 1; g >= 0; g--) {
            ViewGroups.Group group = groups.get(g);
            timedRun(StepPhase.FORWARD, () -> encoder.forward(group.input, true));
            timedRun(StepPhase.BACKWARD, () -> encoder.backward(group.gradient));
        }
        recomputeBackup.restore();
    }

    /**
     * The optimizer update and the objective's post-step hook, each followed by the guard's check of
     * what it wrote: a finite loss and finite gradients can still overflow the parameters (a learning
     * rate of 1e35) or an optimizer moment. The optimizer answers for what it wrote
     * ({@link Optimizer#stepAndFindNonFinite}; the built-in ones from their fused kernels).
     *
     * @param stepState the buffers and objective state (backed up before the forward pass)
     * @return null when everything is finite, else why the step must be skipped
     */
    private SkipReason update(List<Parameter> params, Map<String, INDArray> stepState,
                              StepContext ctx) {
        // each check is timed with the work it checks
        guardDetail = timed(StepPhase.OPTIMIZER, () -> optimizer.stepAndFindNonFinite(params, step));
        if (guardDetail != null) {
            return SkipReason.NON_FINITE_PARAMETERS;
        }
        guardDetail = timed(StepPhase.OBJECTIVE_UPDATE, () -> {
            objective.afterOptimizerStep(ctx);
            return StateBackup.firstNonFinite(stepState);
        });
        return guardDetail == null ? null : SkipReason.NON_FINITE_STATE;
    }

    private void skipUpdate(SkipReason reason, double loss) {
        timedRun(StepPhase.GUARD, backup::restore);
        consecutiveNonFinite++;
        skipped.add(new SkippedStep(step, reason, loss));
        String where = guardDetail == null ? "" : " (first at " + guardDetail + ")";
        guardDetail = null;
        LOG.warn("Step {}: {}{} with loss {}; update skipped and the state from before the step restored ({} in a row)",
                step, describe(reason), where, loss, consecutiveNonFinite);
    }

    private static String describe(SkipReason reason) {
        return switch (reason) {
            case NON_FINITE_LOSS -> "non-finite loss";
            case NON_FINITE_GRADIENT -> "non-finite gradient";
            case NON_FINITE_PARAMETERS -> "the update made a parameter or an optimizer moment non-finite";
            case NON_FINITE_STATE -> "a buffer or the objective's state became non-finite";
        };
    }

    /** Listeners, then the emergency stop, the divergence monitor, or the periodic checkpoint. */
    private void afterStep(StepReport report, double chanceLoss) {
        for (TrainingListener l : listeners) {
            l.onStep(report);
        }
        if (consecutiveNonFinite >= config.maxConsecutiveNonFinite()) {
            if (store != null) {
                saveCheckpoint();
            }
            throw new NonFiniteLossException(report.step(), consecutiveNonFinite, "the loss, a gradient or the updated state");
        }
        if (!report.skipped()) {
            watchDivergence(report, chanceLoss);
        }
        if (store != null && config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
            saveCheckpoint();
        }
    }

    /** Feeds the divergence monitor; logs and keeps its warnings, and stops the run if it is set to. */
    private void watchDivergence(StepReport report, double chanceLoss) {
        String worst = null;
        double magnitude = 0;
        if (monitor.watchesBuffers()) {
            for (Map.Entry<String, INDArray> e : encoder.buffers().entrySet()) {
                if (e.getValue().dataType().isFPType()) {
                    double m = HostArrays.maxAbs(e.getValue());
                    if (worst == null || !(m <= magnitude)) {
                        worst = "encoder." + e.getKey();
                        magnitude = m;
                    }
                    if (Double.isNaN(m)) {
                        break;
                    }
                }
            }
        }
        List<DivergenceWarning> raised = monitor.observe(report.step(), report.loss(), chanceLoss, report.embeddingStd(),
                worst, magnitude);
        for (DivergenceWarning w : raised) {
            LOG.warn(w.message());
            warnings.add(w);
        }
        if (!raised.isEmpty() && monitor.config().stopOnDivergence()) {
            throw new DivergenceException(raised.get(0), store == null ? null : saveCheckpoint());
        }
    }

    private <T> T timed(StepPhase phase, Supplier<T> work) {
        if (profiler == null) {
            return work.get();
        }
        long t0 = System.nanoTime();
        T result = work.get();
        profiler.phaseTimed(phase, System.nanoTime() - t0);
        return result;
    }

    private void timedRun(StepPhase phase, Runnable work) {
        timed(phase, () -> {
            work.run();
            return null;
        });
    }

    /** Encoder and objective parameters, in a fixed order. */
    public List<Parameter> parameters() {
        if (allParameters == null) {
            List<Parameter> ps = new ArrayList<>();
            for (Parameter p : encoder.parameters()) {
                ps.add(p.prefixed("encoder"));
            }
            for (Parameter p : objective.parameters()) {
                ps.add(p.prefixed("objective"));
            }
            allParameters = List.copyOf(ps);
        }
        return allParameters;
    }

    /** Every array that defines the run's state, keyed as in a checkpoint (live arrays). */
    public Map<String, INDArray> stateArrays() {
        return state(true, true, true, true);
    }

    /**
     * The chosen groups of {@link #stateArrays()}, in its order: the one enumeration that checkpoints
     * save and the NaN guard backs up.
     */
    private Map<String, INDArray> state(boolean parameters, boolean buffers, boolean objectiveState, boolean moments) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        if (parameters) {
            for (Parameter p : parameters()) {
                arrays.put("param/" + p.name(), p.value());
            }
        }
        if (buffers) {
            encoder.buffers().forEach((k, v) -> arrays.put("buffer/encoder." + k, v));
        }
        if (objectiveState) {
            objective.state().forEach((k, v) -> arrays.put("objective/" + k, v));
        }
        if (moments) {
            optimizer.state(parameters()).forEach((k, v) -> arrays.put("optimizer/" + k, v));
        }
        return arrays;
    }

    /** A snapshot of the run: copies of {@link #stateArrays()} plus step, seed and provenance. */
    public Checkpoint snapshot() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        stateArrays().forEach((k, v) -> copies.put(k, v.dup()));
        Map<String, String> meta = new LinkedHashMap<>(Provenance.describe());
        meta.putAll(config.metadata());
        meta.put(META_FORMAT, "selfsup4j-trainer-1");
        meta.put(META_STEP, Long.toString(step));
        meta.put(META_SEED, Long.toString(config.seed()));
        meta.put(META_TOTAL_STEPS, Long.toString(config.totalSteps()));
        return new Checkpoint(copies, meta);
    }

    /**
     * Restores a snapshot into this trainer's live arrays: parameters, buffers, objective state,
     * optimizer state, and the step. The checkpoint must come from the same architecture and seed.
     */
    public void restore(Checkpoint checkpoint) {
        Map<String, String> meta = checkpoint.metadata();
        String seed = meta.get(META_SEED);
        if (seed == null || meta.get(META_STEP) == null) {
            throw new IllegalArgumentException("Trainer.restore: not a trainer checkpoint (no step/seed metadata)");
        }
        if (Long.parseLong(seed) != config.seed()) {
            throw new IllegalArgumentException("Trainer.restore: checkpoint seed " + seed + " differs from this run's seed "
                    + config.seed() + "; a resumed run must use the same seed");
        }
        Map<String, INDArray> live = stateArrays();
        for (Map.Entry<String, INDArray> e : live.entrySet()) {
            INDArray saved = checkpoint.arrays().get(e.getKey());
            if (saved == null) {
                throw new IllegalArgumentException("Trainer.restore: checkpoint lacks '" + e.getKey() + "'");
            }
            if (!Arrays.equals(saved.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("Trainer.restore: '" + e.getKey() + "' has shape "
                        + Arrays.toString(saved.shape()) + " in the checkpoint, " + Arrays.toString(e.getValue().shape())
                        + " in this model");
            }
            e.getValue().assign(saved);
        }
        step = Long.parseLong(meta.get(META_STEP));
        consecutiveNonFinite = 0;
        monitor.reset();
    }

    /**
     * Restores the newest valid checkpoint of the configured folder, if any.
     *
     * @return true when a checkpoint was restored
     */
    public boolean resumeLatest() {
        if (store == null) {
            throw new IllegalStateException("Trainer.resumeLatest: no checkpoint folder configured");
        }
        try {
            var latest = store.loadLatest();
            latest.ifPresent(this::restore);
            return latest.isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a checkpoint of the current state now. */
    public Path saveCheckpoint() {
        if (store == null) {
            throw new IllegalStateException("Trainer.saveCheckpoint: no checkpoint folder configured");
        }
        try {
            Path file = store.save(step, snapshot());
            for (TrainingListener l : listeners) {
                l.onCheckpoint(step, file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer: writing the checkpoint of step " + step + " failed", e);
        }
    }

    private static boolean gradientsFinite(List<Parameter> params) {
        for (Parameter p : params) {
            if (!HostArrays.isFinite(p.gradient())) {
                return false;
            }
        }
        return true;
    }
}
