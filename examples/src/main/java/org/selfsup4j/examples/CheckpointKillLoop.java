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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.checkpoint.CorruptCheckpointException;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Crash test of checkpointing: kills a child JVM with SIGKILL at random points while it trains a small
 * SimCLR model and writes a checkpoint after every step, and checks after every kill that the newest
 * checkpoint file reads (CRC verified, never a torn file), that it belongs to the run, and that the next
 * child resumes from exactly that step. Prints a summary; exits 0 only if every kill passed.
 *
 * <pre>
 *   scripts/kill-checkpoints.sh --kills 200
 * </pre>
 *
 * <p>Kill times: a uniform delay in {@code [0, --max-delay-ms]} after the child's first checkpoint of its
 * life; every other kill then also waits for the child's next temporary file ({@code .step-...tmp})
 * to appear and strikes 0-5 ms later, so kills land inside writes: before the temporary file is
 * complete, around its fsync, around the rename. Each save writes a 2.7 MB file (a width-16 ConvNet
 * with its Adam state).
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
            return String.format("kills %d, newest checkpoint readable after %d, next child resumed at that step "
                    + "after %d, stray temporary files found (and removed at start) %d, steps reached %d, "
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
            if (before >= 0 && !started.contains("resumed at step " + before + "\n")) {
                failures.add("kill " + k + ": the child did not resume at step " + before);
            } else {
                resumed++;
            }
            strays += countTemporaries(store.dir());
            Optional<Path> latest = store.latest();
            try {
                Checkpoint c = CheckpointFormat.read(latest.orElseThrow(() -> new IOException("no checkpoint")));
                if (!RUN_ID.equals(c.metadata().get(CheckpointMetadata.RUN_ID))) {
                    failures.add("kill " + k + ": the newest checkpoint has no run id");
                }
                newest = Long.parseLong(c.metadata().get(Trainer.META_STEP));
                readable++;
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
        return new Summary(kills, readable, Math.min(resumed, kills), strays, newestStep(store), failures);
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

    /**
     * The child: removes stray temporary files, resumes from the newest valid checkpoint (saying at which
     * step), then trains a width-16 ConvNet SimCLR on seeded random 16x16 views, checkpointing every step,
     * until killed.
     */
    private static void runChild(Path out) throws IOException {
        Nd4j.getRandom().setSeed(0);
        Path dir = out.resolve(RunFolder.CHECKPOINTS);
        CheckpointStore store = new CheckpointStore(dir, Trainer.Config.DEFAULT_KEEP_LAST);
        store.removeStrayTemporaries();
        long total = 1_000_000;
        BackboneSpec spec = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 16, DataType.FLOAT, 0);
        PretrainSetup setup = Methods.assemble("simclr", new MethodConfig(spec, 16, total, 1e-3, 0, 0,
                new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f})));
        Trainer trainer = new Trainer(Trainer.Config.of(0, total).withCheckpoints(dir, 1)
                .withMetadata(Map.of(CheckpointMetadata.RUN_ID, RUN_ID)), setup.encoder(), setup.objective(),
                setup.optimizer());
        Optional<Checkpoint> c = store.loadLatest();
        c.ifPresent(trainer::restore);
        System.out.println("resumed at step " + (c.isPresent() ? trainer.currentStep() : -1));
        System.out.flush();
        while (trainer.currentStep() < total) {
            SplittableRandom r = new SplittableRandom(trainer.currentStep());
            trainer.step(List.of(randomViews(r), randomViews(r)), 100);
        }
    }

    private static INDArray randomViews(SplittableRandom r) {
        float[] v = new float[8 * 3 * 16 * 16];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {8, 3, 16, 16}, 'c');
    }
}
