package org.selfsup4j.core.train;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.core.Checks;

/**
 * Watches a run for divergence that produces no NaN: a loss that stays at the objective's chance
 * value, embeddings that collapse to one point, or batch-norm statistics that grow without bound
 * (a learning rate of 1e6 gives running variances of 1e27 and a SimCLR loss of exactly
 * {@code ln(2N - 1)} while every number stays finite).
 *
 * <p>Each condition must hold for {@link Config#patience()} consecutive observed steps; then one
 * {@link DivergenceWarning} is raised for it, and another only after the condition has cleared and
 * held again for the patience. Skipped steps are not observed (the NaN guard deals with those).
 *
 * <pre>
 *   loss at chance:   loss &gt;= (1 - chanceTolerance) * chance     (objectives that report a chance value)
 *   collapse:         embeddingStd &lt; minEmbeddingStd             ({@link CollapseMonitor})
 *   buffer bound:     max |b| over the encoder's buffers &gt; maxBufferMagnitude, or NaN
 * </pre>
 * Not thread-safe; one monitor per run.
 */
public final class DivergenceMonitor {

    /**
     * The monitor's settings: {@link #defaults()} or {@link #disabled()}, changed one at a time with the
     * {@code with*} methods.
     *
     * @param patience consecutive steps a condition must hold before it warns
     * @param chanceTolerance the loss counts as at chance when {@code loss >= (1 - chanceTolerance) * chance};
     *                        NaN turns the condition off
     * @param minEmbeddingStd embeddings count as collapsed below this {@link CollapseMonitor} std; 0 turns it off
     * @param maxBufferMagnitude a buffer counts as diverged beyond this magnitude; infinity turns it off
     * @param stopOnDivergence whether a warning makes the trainer save a checkpoint and throw
     *                         {@link DivergenceException} (else it only logs and records the warning)
     */
    public record Config(int patience, double chanceTolerance, double minEmbeddingStd, double maxBufferMagnitude,
                         boolean stopOnDivergence) {
        /**
         * Fifty steps: a healthy contrastive run is well below chance by then, and a short blip (a
         * bad batch, the first steps from a random init) does not warn.
         */
        public static final int DEFAULT_PATIENCE = 50;
        /** Within 1% of chance counts as "at chance": a random init starts there, a learning encoder leaves it. */
        public static final double DEFAULT_CHANCE_TOLERANCE = 0.01;
        /**
         * A healthy encoder's std is about {@code 1/sqrt(D)} (0.011 for D = 8192); a collapsed one's is
         * 0 up to rounding. 1e-3 is an order of magnitude below the first.
         */
        public static final double DEFAULT_MIN_EMBEDDING_STD = 1e-3;
        /**
         * Batch-norm running statistics of a trained network on normalized inputs are of order 1 to
         * 1e4; 1e8 (a running std of 1e4) is far past any healthy value and far below a diverged one.
         */
        public static final double DEFAULT_MAX_BUFFER_MAGNITUDE = 1e8;
        /** By default a divergence warns and the run goes on: stopping is the caller's decision. */
        public static final boolean DEFAULT_STOP_ON_DIVERGENCE = false;

        public Config {
            Checks.positive("DivergenceMonitor.Config", "patience", patience);
            if (!Double.isNaN(chanceTolerance)) {
                Checks.unitInterval("DivergenceMonitor.Config", "chanceTolerance", chanceTolerance);
            }
            Checks.nonNegative("DivergenceMonitor.Config", "minEmbeddingStd", minEmbeddingStd);
            // +infinity is allowed: it turns the condition off
            Checks.argument(maxBufferMagnitude > 0, "DivergenceMonitor.Config",
                    "maxBufferMagnitude must be > 0 (infinity turns it off), got " + maxBufferMagnitude);
        }

        /** Every condition on with its default, warnings only. */
        public static Config defaults() {
            return new Config(DEFAULT_PATIENCE, DEFAULT_CHANCE_TOLERANCE, DEFAULT_MIN_EMBEDDING_STD,
                    DEFAULT_MAX_BUFFER_MAGNITUDE, DEFAULT_STOP_ON_DIVERGENCE);
        }

        /** No condition can fire. */
        public static Config disabled() {
            return defaults().withChanceTolerance(Double.NaN).withMinEmbeddingStd(0)
                    .withMaxBufferMagnitude(Double.POSITIVE_INFINITY);
        }

        // Withers, as Trainer.Config has: each returns a checked copy with one setting changed, so the
        // settings are declared once (in the record) and a config is never half-built.

        /** @param steps see {@link #patience()} @return these settings with that patience */
        public Config withPatience(int steps) {
            return new Config(steps, chanceTolerance, minEmbeddingStd, maxBufferMagnitude, stopOnDivergence);
        }

        /** @param tolerance see {@link #chanceTolerance()} @return these settings with that tolerance */
        public Config withChanceTolerance(double tolerance) {
            return new Config(patience, tolerance, minEmbeddingStd, maxBufferMagnitude, stopOnDivergence);
        }

        /** @param std see {@link #minEmbeddingStd()} @return these settings with that floor */
        public Config withMinEmbeddingStd(double std) {
            return new Config(patience, chanceTolerance, std, maxBufferMagnitude, stopOnDivergence);
        }

        /** @param magnitude see {@link #maxBufferMagnitude()} @return these settings with that bound */
        public Config withMaxBufferMagnitude(double magnitude) {
            return new Config(patience, chanceTolerance, minEmbeddingStd, magnitude, stopOnDivergence);
        }

        /** @param stop see {@link #stopOnDivergence()} @return these settings with that choice */
        public Config withStopOnDivergence(boolean stop) {
            return new Config(patience, chanceTolerance, minEmbeddingStd, maxBufferMagnitude, stop);
        }
    }

    private final Config config;
    private int atChance;
    private int collapsed;
    private int beyondBound;

    /** @param config the settings */
    public DivergenceMonitor(Config config) {
        this.config = Checks.notNull("DivergenceMonitor", "config", config);
    }

    /** The settings. */
    public Config config() {
        return config;
    }

    /** Whether the buffer condition is on (the trainer scans the buffers only then). */
    public boolean watchesBuffers() {
        return Double.isFinite(config.maxBufferMagnitude());
    }

    /**
     * Observes one applied step.
     *
     * @param step the 0-based step
     * @param loss its loss
     * @param chanceLoss the objective's chance value for this batch, or NaN when it has none
     * @param embeddingStd the collapse monitor's std
     * @param buffer the name of the buffer with the largest magnitude (for the message), or null
     * @param bufferMagnitude that buffer's largest magnitude (NaN when an entry is NaN; 0 when not scanned)
     * @return the warnings raised at this step, usually none
     */
    public List<DivergenceWarning> observe(long step, double loss, double chanceLoss, double embeddingStd, String buffer,
                                           double bufferMagnitude) {
        List<DivergenceWarning> out = List.of();
        double chanceBound = (1 - config.chanceTolerance()) * chanceLoss;
        atChance = Double.isFinite(chanceBound) && loss >= chanceBound ? atChance + 1 : 0;
        if (atChance == config.patience()) {
            out = add(out, new DivergenceWarning(step, DivergenceWarning.Kind.LOSS_AT_CHANCE, loss, chanceBound,
                    String.format("Step %d: the loss (%.6g) has stayed at its chance value (%.6g) for %d steps: the"
                            + " encoder tells the samples apart no better than guessing (diverged or collapsed;"
                            + " try a lower learning rate).", step, loss, chanceLoss, atChance)));
        }
        collapsed = embeddingStd < config.minEmbeddingStd() ? collapsed + 1 : 0;
        if (collapsed == config.patience()) {
            out = add(out, new DivergenceWarning(step, DivergenceWarning.Kind.EMBEDDING_COLLAPSE, embeddingStd,
                    config.minEmbeddingStd(), String.format("Step %d: the embedding std (%.3g) has stayed below %.3g for"
                            + " %d steps: the encoder maps every input to nearly the same point (collapse).", step,
                            embeddingStd, config.minEmbeddingStd(), collapsed)));
        }
        boolean beyond = watchesBuffers() && !(bufferMagnitude <= config.maxBufferMagnitude());
        beyondBound = beyond ? beyondBound + 1 : 0;
        if (beyondBound == config.patience()) {
            out = add(out, new DivergenceWarning(step, DivergenceWarning.Kind.BUFFER_BEYOND_BOUND, bufferMagnitude,
                    config.maxBufferMagnitude(), String.format("Step %d: buffer %s has reached magnitude %.3g, beyond"
                            + " the bound %.3g, for %d steps: the network's activations are diverging (try a lower"
                            + " learning rate).", step, buffer, bufferMagnitude, config.maxBufferMagnitude(),
                            beyondBound)));
        }
        return out;
    }

    /** Forgets the conditions' streaks (after a restore: the restored run starts a fresh count). */
    public void reset() {
        atChance = 0;
        collapsed = 0;
        beyondBound = 0;
    }

    private static List<DivergenceWarning> add(List<DivergenceWarning> list, DivergenceWarning w) {
        List<DivergenceWarning> out = new ArrayList<>(list);
        out.add(w);
        return out;
    }
}
