package org.selfsup4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.Parallel;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.samediff.SameDiffEncoder;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.StepTimes;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.objective.SimClrObjective;

/**
 * Times whole training steps through the {@link Trainer} and breaks them down by phase.
 *
 * <p>Cases: {@code tiny-native} and {@code tiny-samediff} (the tiny encoder of
 * {@link TrainingStepBenchmark}, 64 28x28 images per view) and {@code resnet-native}
 * ({@link BenchmarkModels#resnet18Half}, 256 32x32 RGB images per view), with SimCLR's NT-Xent
 * (temperature 0.5) from ssl-losses and Adam, lr 1e-3; {@code wav2vec2-small} and {@code hubert-small}
 * ({@link SpeechStepCases}: the speech CLI's small model and its defaults, 8 crops of 4,000 samples;
 * the last argument is the batch), with Adam, lr 5e-4.
 *
 * <p>Reports the wall-clock minimum and median per step, the process CPU time per step (all
 * threads, averaged over the measured steps: a steadier figure than wall-clock on a loaded machine), the peak resident set size
 * ({@code VmHWM}), then, over further steps with a {@link StepTimes} attached (the trainer's profiler and
 * the encoder's module observer), the mean milliseconds per step of every trainer phase and of the
 * forward/backward self time per block type and, for the SameDiff case, of every SameDiff op type.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.selfsup4j.benchmarks.StepProfile tiny-native [steps] [warmup]
 *     [phaseSteps] [resnetBatchPerView]
 * </pre>
 */
public final class StepProfile {
    /** Images per view of the ResNet case, as the issue specifies. */
    public static final int RESNET_BATCH = 256;
    /** Adam's learning rate of the speech cases (the PyTorch script's). */
    static final double SPEECH_LR = 5e-4;

    private StepProfile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: StepProfile tiny-native|tiny-samediff|resnet-native|wav2vec2-small|hubert-small"
                    + " [steps] [warmup] [phaseSteps] [batch]");
            System.exit(2);
        }
        String name = args[0];
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int phaseSteps = args.length > 3 ? Integer.parseInt(args[3]) : Math.max(1, steps / 2);
        Encoder enc;
        Objective objective = new SimClrObjective(0.5);
        double lr = 1e-3;
        long batch;
        long[] viewShape;
        int views = 2;
        switch (name) {
            case "tiny-native" -> {
                enc = TrainingStepBenchmark.nativeEncoder(1);
                batch = TrainingStepBenchmark.BATCH;
                viewShape = new long[] {batch, 1, 28, 28};
            }
            case "tiny-samediff" -> {
                enc = TrainingStepBenchmark.sameDiffEncoder(1);
                batch = TrainingStepBenchmark.BATCH;
                viewShape = new long[] {batch, 1, 28, 28};
            }
            case "resnet-native" -> {
                enc = BenchmarkModels.resnet18Half(1);
                batch = args.length > 4 ? Integer.parseInt(args[4]) : RESNET_BATCH;
                viewShape = new long[] {batch, 3, 32, 32};
            }
            case "wav2vec2-small", "hubert-small" -> {
                SpeechStepCases.Pieces pieces = name.startsWith("wav2vec2") ? SpeechStepCases.wav2vec2Small(1)
                        : SpeechStepCases.hubertSmall(1);
                enc = pieces.encoder();
                objective = pieces.objective();
                lr = SPEECH_LR;
                batch = args.length > 4 ? Integer.parseInt(args[4]) : SpeechStepCases.BATCH;
                viewShape = new long[] {batch, SpeechStepCases.SAMPLES};
                views = 1;
            }
            default -> throw new IllegalArgumentException("StepProfile: unknown case " + name);
        }
        Trainer trainer = new Trainer(Trainer.Config.of(1, Long.MAX_VALUE / 2), enc, objective,
                Adam.builder(new ConstantSchedule(lr)).build());
        List<INDArray> input = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            input.add(LossKernelBenchmark.gaussian(1 + v, viewShape));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        for (int i = 0; i < warmup; i++) {
            trainer.step(input, 1);
        }
        double[] wall = new double[steps];
        double loss = 0;
        // process CPU time is counted in scheduler ticks: take it over all steps, not per step
        long cpu0 = os.getProcessCpuTime();
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            loss = trainer.step(input, 1).loss();
            wall[i] = (System.nanoTime() - t0) / 1e6;
        }
        double cpuPerStep = (os.getProcessCpuTime() - cpu0) / 1e6 / steps;
        long rssKb = statusKb("VmHWM");
        double[] ws = wall.clone();
        Arrays.sort(ws);
        System.out.printf(Locale.ROOT, "case %s: %d steps after %d warm-up, batch %d per view x %d views, %d threads,"
                + " last loss %.5f%n", name, steps, warmup, batch, views, Parallel.threads(), loss);
        System.out.printf(Locale.ROOT, "RESULT\t%s\twall_min_ms\t%.2f\twall_median_ms\t%.2f\tcpu_ms_per_step\t%.2f\tpeak_rss_mib\t%.0f%n",
                name, ws[0], ws[steps / 2], cpuPerStep, rssKb / 1024.0);

        SameDiffOpTimer opTimer = null;
        if (enc instanceof SameDiffEncoder sde) {
            opTimer = new SameDiffOpTimer();
            sde.sameDiff().setListeners(opTimer);
        }
        StepTimes times = new StepTimes();
        trainer.setProfiler(times);
        enc.observe(times);
        long p0 = System.nanoTime();
        for (int i = 0; i < phaseSteps; i++) {
            trainer.step(input, 1);
        }
        double total = (System.nanoTime() - p0) / 1e6 / phaseSteps;
        trainer.setProfiler(null);
        enc.observe(null);
        System.out.printf(Locale.ROOT, "phase breakdown, mean ms per step over %d steps (step total %.2f ms; step.* are"
                + " the trainer's phases, the block entries self times within step.FORWARD and step.BACKWARD):%n",
                phaseSteps, total);
        printTable(times.snapshot(), phaseSteps, total);
        if (opTimer != null) {
            double opSum = opTimer.totals().values().stream().mapToLong(t -> t[0]).sum() / 1e6 / phaseSteps;
            System.out.printf(Locale.ROOT, "SameDiff ops, mean ms per step (sum %.2f ms of %.2f ms step; the rest is"
                    + " session bookkeeping, shape inference and Java-side work):%n", opSum, total);
            printTable(opTimer.totals(), phaseSteps, total);
        }
    }

    private static void printTable(Map<String, long[]> totals, int steps, double stepMs) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(totals.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<String, long[]> e : rows) {
            double ms = e.getValue()[0] / 1e6 / steps;
            System.out.printf(Locale.ROOT, "  %-28s %9.3f ms %6.1f%%  %6.1f calls/step%n", e.getKey(), ms,
                    100 * ms / stepMs, e.getValue()[1] / (double) steps);
        }
    }

    private static long statusKb(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
