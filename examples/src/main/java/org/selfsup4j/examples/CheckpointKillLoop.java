package org.selfsup4j.examples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.checkpoint.CorruptCheckpointException;
import org.selfsup4j.core.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Crash test of checkpointing: kills a child JVM with SIGKILL at random points while it advances a
 * 1 MiB state and writes a checkpoint after every step, and checks after every kill that the newest
 * checkpoint file reads (CRC verified, never a torn file), belongs to the run and holds the state of
 * its step, and that the next child resumes from exactly that step. Prints a summary; exits 0 only if every kill passed.
 *
 * <pre>
 *   scripts/kill-checkpoints.sh --kills 200
 * </pre>
 *
 * <p>Kill times: a uniform delay in {@code [0, --max-delay-ms]} after the child's first checkpoint of its
 * life; every other kill then also waits for the child's next temporary file ({@code .step-...tmp})
 * to appear and strikes 0-5 ms later, so kills land inside writes: before the temporary file is
 * complete, around its fsync, around the rename.
 */
@Command(name = "kill-checkpoints", mixinStandardHelpOptions = true,
        description = "Kill a checkpointing child JVM at random points and check the newest checkpoint every time.")
public final class CheckpointKillLoop implements Callable<Integer> {
    /** The run id the child writes into every checkpoint. */
    static final String RUN_ID = "kill-loop";

    @Option(names = "--kills", description = "kills (default ${DEFAULT-VALUE})")
    int kills = 200;

    @Option(names = "--out", description = "folder of the run (default: a fresh temporary folder)")
    Path out;

    @Option(names = "--seed", description = "seed of the kill delays (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--max-delay-ms", description = "kill at a uniform delay in [0, this] after the child's first "
            + "new checkpoint (default ${DEFAULT-VALUE})")
    int maxDelayMs = 400;

    @Option(names = "--child", hidden = true, description = "run as the checkpointing child")
    boolean child;

    /** What the loop saw. */
    record Summary(int kills, int newestReadable, int resumedExactly, int strayTemporaries, long lastStep,
                   List<String> failures) {
        /** @return whether every kill left a readable newest checkpoint that the next child resumed from */
        boolean ok() {
            return failures.isEmpty() && newestReadable == kills && resumedExactly == kills;
        }

        String text() {
            return String.format("kills %d, newest checkpoint readable (CRC, run id, state of its step) after %d, "
                    + "next child resumed at that step after %d, stray temporary files found (and removed at start) %d, steps reached %d, "
                    + "failures %d%s", kills, newestReadable, resumedExactly, strayTemporaries, lastStep,
                    failures.size(), failures.isEmpty() ? "" : ": " + failures);
        }
    }

    /**
     * Entry point.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(ErrorHandler.execute(new CheckpointKillLoop(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (kills < 1 || maxDelayMs < 0) {
            throw UserError.usage("--kills must be >= 1 and --max-delay-ms >= 0, got " + kills + " and " + maxDelayMs);
        }
        if (out == null) {
            out = Files.createTempDirectory("kill-checkpoints");
        }
        if (child) {
            runChild(out);
            return 0;
        }
        Summary s = loop(out, kills, seed, maxDelayMs);
        System.out.println(s.text());
        return s.ok() ? 0 : ErrorHandler.SOFTWARE;
    }

    /**
     * Kills {@code kills} children and checks the folder after each.
     *
     * @param out the run's folder
     * @param kills how many kills
     * @param seed seed of the delays
     * @param maxDelayMs the largest delay after the child's first new checkpoint
     * @return what was seen
     */
    static Summary loop(Path out, int kills, long seed, int maxDelayMs) throws IOException, InterruptedException {
        SplittableRandom rng = new SplittableRandom(seed);
        CheckpointStore store = new CheckpointStore(out.resolve(RunFolder.CHECKPOINTS), 1);
        List<String> failures = new ArrayList<>();
        int readable = 0;
        int resumed = 0;
        int strays = 0;
        long newest = -1;
        Path log = out.resolve("child.log");
        for (int k = 0; k < kills; k++) {
            Process p = ChildProcess.start(CheckpointKillLoop.class, log, "--child", "--out", out.toString());
            long before = newest;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // wait for the child's first checkpoint of this life, then kill it at a random point
            while (p.isAlive() && newestStep(store) <= before && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(rng.nextInt(maxDelayMs + 1));
            if (k % 2 == 0) {
                // every other kill inside a write: once its temporary file exists, 0-5 ms later
                // (before the data is complete, around the fsync, around the rename)
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (p.isAlive() && countTemporaries(store.dir()) == 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                LockSupport.parkNanos(rng.nextLong(5_000_000));
            }
            boolean wasAlive = p.isAlive();
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            if (!wasAlive) {
                failures.add("kill " + k + ": the child had exited (" + p.exitValue() + ", see " + log + ")");
                break;
            }
            String started = Files.exists(log) ? Files.readString(log) : "";
            // the first child has nothing to resume; each later one must have resumed at the last newest step
            if (k > 0 && !started.contains("resumed at step " + before + "\n")) {
                failures.add("kill " + k + ": the child did not resume at step " + before);
            } else if (k > 0) {
                resumed++;
            }
            strays += countTemporaries(store.dir());
            Optional<Path> latest = store.latest();
            try {
                Checkpoint c = CheckpointFormat.read(latest.orElseThrow(() -> new IOException("no checkpoint")));
                newest = Long.parseLong(c.metadata().get(CheckpointMetadata.STEP));
                if (!RUN_ID.equals(c.metadata().get(CheckpointMetadata.RUN_ID))) {
                    failures.add("kill " + k + ": the newest checkpoint has no run id");
                } else if (!isStateOf(c.array("w"), newest)) {
                    failures.add("kill " + k + ": the newest checkpoint (step " + newest + ") holds another state");
                } else {
                    readable++;
                }
            } catch (CorruptCheckpointException e) {
                failures.add("kill " + k + ": " + e.getMessage());
            }
            if ((k + 1) % 20 == 0) {
                System.out.printf("%d kills, newest step %d, all readable so far: %b%n", k + 1, newest,
                        readable == k + 1);
            }
        }
        // the last kill must be resumable too: one more child, stopped once it has saved again
        Process p = ChildProcess.start(CheckpointKillLoop.class, log, "--child", "--out", out.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && newestStep(store) <= newest && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        if (!Files.readString(log).contains("resumed at step " + newest + "\n")) {
            failures.add("after the last kill: the child did not resume at step " + newest);
        } else {
            resumed++;
        }
        return new Summary(kills, readable, resumed, strays, newestStep(store), failures);
    }

    private static long newestStep(CheckpointStore store) {
        return store.latest().map(p -> Long.parseLong(CheckpointStore.FILE_NAME.matcher(p.getFileName().toString())
                .replaceAll("$1"))).orElse(-1L);
    }

    private static int countTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (CheckpointStore.TEMP_FILE_NAME.matcher(p.getFileName().toString()).matches()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Floats in the child's checkpoint: 1 MiB of data per save. */
    static final int STATE_SIZE = 1 << 18;

    /** The state the child saves at {@code step}: entry i is {@code (i + step) mod 1000}, exact in float. */
    static boolean isStateOf(INDArray w, long step) {
        float[] v = w.toFloatVector();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (float) ((i + step) % 1000)) {
                return false;
            }
        }
        return v.length == STATE_SIZE;
    }

    /**
     * The child: removes stray temporary files, resumes from the newest valid checkpoint (checking that
     * its content is the state of its step, and saying which step), then advances the state and saves it
     * after every step, until killed. Plain arrays rather than a model: the JVM starts in a second or two,
     * so hundreds of kills fit in minutes (resumption of a real trainer bit for bit is
     * {@code ResumeAfterKillTest}'s job).
     */
    private static void runChild(Path out) throws IOException {
        Path dir = out.resolve(RunFolder.CHECKPOINTS);
        CheckpointStore store = new CheckpointStore(dir, Trainer.Config.DEFAULT_KEEP_LAST);
        store.removeStrayTemporaries();
        Optional<Checkpoint> c = store.loadLatest();
        long step = 0;
        float[] w = new float[STATE_SIZE];
        if (c.isPresent()) {
            step = Long.parseLong(c.get().metadata().get(CheckpointMetadata.STEP));
            if (!isStateOf(c.get().array("w"), step)) {
                throw new IllegalStateException("checkpoint of step " + step + " holds another state");
            }
            w = c.get().array("w").toFloatVector();
        } else {
            for (int i = 0; i < w.length; i++) {
                w[i] = i % 1000;
            }
        }
        System.out.println("resumed at step " + (c.isPresent() ? step : -1));
        System.out.flush();
        while (true) {
            store.save(step, new Checkpoint(Map.of("w", Nd4j.createFromArray(w)), Map.of(CheckpointMetadata.STEP,
                    Long.toString(step), CheckpointMetadata.RUN_ID, RUN_ID)));
            // the next state from this one, as a training step derives its parameters from the last
            for (int i = 0; i < w.length; i++) {
                w[i] = (w[i] + 1) % 1000;
            }
            step++;
        }
    }
}
