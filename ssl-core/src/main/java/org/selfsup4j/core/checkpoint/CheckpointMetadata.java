package org.selfsup4j.core.checkpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standard metadata keys of a {@link Checkpoint} and the provenance every checkpoint should carry
 * (as Tribuo records on each model): library version, ND4J backend, Java, OS and architecture.
 * Values are strings; numbers are written in decimal ({@code Long.toString}).
 */
public final class CheckpointMetadata {
    /** Optimizer steps taken so far. */
    public static final String STEP = "step";
    /** Completed epochs. */
    public static final String EPOCH = "epoch";
    /** The run seed. */
    public static final String SEED = "seed";
    /** The training configuration, typically as JSON. */
    public static final String CONFIG = "config";
    /** selfsup4j version that wrote the checkpoint ("unknown" when not run from a packaged jar). */
    public static final String LIBRARY_VERSION = "selfsup4j.version";
    /** ND4J backend class, e.g. {@code CpuBackend}. */
    public static final String ND4J_BACKEND = "nd4j.backend";
    /** {@code java.version} and {@code java.vendor}. */
    public static final String JAVA = "java";
    /** {@code os.name}, {@code os.version} and {@code os.arch}. */
    public static final String OS = "os";
    /**
     * The run a checkpoint belongs to: an id drawn when the run started (a UUID), the same in every
     * checkpoint of the run and of its resumptions, so a folder holding checkpoints of two runs is
     * detected rather than mixed.
     */
    public static final String RUN_ID = "run.id";
    /** A hash of the options that define the run (what a resumption must repeat). */
    public static final String RUN_OPTIONS_HASH = "run.options";
    /** When the provenance was taken, ISO-8601 UTC. */
    public static final String CREATED = "created";

    private CheckpointMetadata() {
    }

    /**
     * A fresh, mutable map with {@link #LIBRARY_VERSION}, {@link #ND4J_BACKEND}, {@link #JAVA},
     * {@link #OS} and {@link #CREATED}; callers add step, epoch, seed and config.
     */
    public static Map<String, String> provenance() {
        Map<String, String> m = new LinkedHashMap<>();
        String version = CheckpointMetadata.class.getPackage().getImplementationVersion();
        m.put(LIBRARY_VERSION, version == null ? "unknown" : version);
        m.put(ND4J_BACKEND, Nd4j.getBackend().getClass().getSimpleName());
        m.put(JAVA, System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put(OS, System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put(CREATED, Instant.now().toString());
        return m;
    }
}
