package org.selfsup4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.ForwardingModule;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.NormFactory;
import org.selfsup4j.core.nn.Parameter;

/**
 * Batch normalisation whose training-mode statistics are those of the global batch, spread over the
 * workers of a {@link Collective}: PyTorch's {@code nn.SyncBatchNorm} (as SimCLR, BYOL and MoCo v3
 * train on many devices). With it, a replica's encoder computes on its rows exactly what
 * {@link BatchNorm} computes on the global batch, so data-parallel training with batch norm equals
 * single-process training; same parameter and buffer names, so checkpoints and EMA copies move
 * between the two.
 *
 * <p>Forward: each worker sends per channel its count, mean and sum of squared deviations; they are
 * combined in rank order with Chan et al.'s pairwise update (no {@code E[x²] - E[x]²} cancellation),
 * giving the global mean and biased variance, and the running statistics move as in
 * {@link BatchNorm} (unbiased with the global count M). Backward: with {@code xhat} the normalised
 * input and {@code g} the output gradient, each worker sends per channel {@code Σ g} and
 * {@code Σ g·xhat} over its rows; with their global sums G1, G2,
 * {@code dx = weight · invStd / M · (M·g - G1 - xhat·G2)}. The parameter gradients stay local sums
 * (the {@link DistributedEncoder} adds them over workers with every other gradient).
 *
 * <p>Two exchanges per layer per training step, each of 3·C and 2·C doubles per worker. Computes on
 * the host in double precision, which is exact enough for the equivalence tests and the small
 * heads it normalises; inputs {@code [N, C]}, {@code [N, C, L]} or {@code [N, C, H, W]}.
 * Evaluation mode uses the running statistics and exchanges nothing.
 */
public final class SyncBatchNorm extends ForwardingModule {
    private final Collective collective;
    private final int channels;
    private final double eps;
    private final double momentum;
    private final DataType dtype;
    /** Holds the parameters and running statistics: the same names, initial values and checkpoint keys. */
    private final BatchNorm storage;
    private final Parameter weight;
    private final Parameter bias;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private long exchanges;
    private long[] inputShape;
    private boolean lastTraining;
    private double[] xhat;
    private double[] invStd;
    private long globalCount;

    /**
     * @param collective the workers whose rows form the batch
     * @param channels C
     * @param affine whether to learn {@code weight} and {@code bias}
     * @param dtype FLOAT or DOUBLE
     */
    public SyncBatchNorm(Collective collective, int channels, boolean affine, DataType dtype) {
        this(collective, channels, BatchNorm.DEFAULT_EPS, BatchNorm.DEFAULT_MOMENTUM, affine, dtype);
    }

    /** With {@link BatchNorm}'s eps and momentum semantics. */
    public SyncBatchNorm(Collective collective, int channels, double eps, double momentum, boolean affine,
                         DataType dtype) {
        this(collective, storage(collective, channels, eps, momentum, affine, dtype), channels, eps, momentum, affine,
                dtype);
    }

    private SyncBatchNorm(Collective collective, BatchNorm storage, int channels, double eps, double momentum,
                          boolean affine, DataType dtype) {
        super(storage);
        this.collective = collective;
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.dtype = dtype;
        this.storage = storage;
        List<Parameter> ps = storage.parameters();
        this.weight = affine ? ps.get(0) : null;
        this.bias = affine ? ps.get(1) : null;
        this.runningMean = storage.runningMean();
        this.runningVar = storage.runningVar();
    }

    /** Checks the arguments, before {@link BatchNorm} would with messages naming another class. */
    private static BatchNorm storage(Collective collective, int channels, double eps, double momentum, boolean affine,
                                     DataType dtype) {
        Objects.requireNonNull(collective, "collective");
        if (channels < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)
                || (dtype != DataType.FLOAT && dtype != DataType.DOUBLE)) {
            throw new IllegalArgumentException("SyncBatchNorm: expected channels >= 1, eps > 0, momentum in [0, 1] and"
                    + " FLOAT or DOUBLE, got " + channels + ", " + eps + ", " + momentum + ", " + dtype);
        }
        return new BatchNorm(channels, eps, momentum, affine, dtype);
    }

    /**
     * The {@link NormFactory} that builds SyncBatchNorms over {@code collective}: what a method
     * assembly takes ({@code MethodConfig.withNorm}) to build a data-parallel replica.
     *
     * @param collective the workers whose rows form the batch
     * @return the factory
     */
    public static NormFactory factory(Collective collective) {
        Objects.requireNonNull(collective, "collective");
        return new NormFactory() {
            @Override
            public Module create(int channels, boolean affine, DataType dtype) {
                return new SyncBatchNorm(collective, channels, affine, dtype);
            }

            @Override
            public String toString() {
                return "SyncBatchNorm over " + collective.worldSize() + " workers";
            }
        };
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input.rank() < 2 || input.size(1) != channels) {
            throw new IllegalArgumentException("SyncBatchNorm.forward: expected [N, " + channels + ", ...], got "
                    + Arrays.toString(input.shape()));
        }
        inputShape = input.shape();
        lastTraining = training;
        long n = input.size(0);
        int s = (int) (input.length() / (n * channels));
        double[] x = input.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mean = new double[channels];
        double[] var = new double[channels];
        if (training) {
            globalStatistics(x, n, s, mean, var);
            double[] rm = runningMean.castTo(DataType.DOUBLE).toDoubleVector();
            double[] rv = runningVar.castTo(DataType.DOUBLE).toDoubleVector();
            for (int c = 0; c < channels; c++) {
                rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
                rv[c] = (1 - momentum) * rv[c] + momentum * var[c] * globalCount / (globalCount - 1.0);
            }
            runningMean.assign(Nd4j.createFromArray(rm));
            runningVar.assign(Nd4j.createFromArray(rv));
        } else {
            mean = runningMean.castTo(DataType.DOUBLE).toDoubleVector();
            var = runningVar.castTo(DataType.DOUBLE).toDoubleVector();
        }
        invStd = new double[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = 1 / Math.sqrt(var[c] + eps);
        }
        double[] w = weight == null ? null : weight.value().castTo(DataType.DOUBLE).toDoubleVector();
        double[] b = bias == null ? null : bias.value().castTo(DataType.DOUBLE).toDoubleVector();
        xhat = new double[x.length];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, s);
            xhat[i] = (x[i] - mean[c]) * invStd[c];
            y[i] = w == null ? xhat[i] : xhat[i] * w[c] + b[c];
        }
        return Nd4j.create(y, inputShape, 'c').castTo(dtype);
    }

    /** Global mean and biased variance per channel, combined over ranks in rank order. */
    private void globalStatistics(double[] x, long n, int s, double[] mean, double[] var) {
        long count = n * s;
        double[] local = new double[3 * channels];
        for (int i = 0; i < x.length; i++) {
            local[channel(i, s)] += x[i];
        }
        for (int c = 0; c < channels; c++) {
            local[c] /= count;
        }
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, s);
            double d = x[i] - local[c];
            local[channels + c] += d * d;
        }
        Arrays.fill(local, 2 * channels, 3 * channels, count);
        List<double[]> all = gather("bn-stats#", local);
        double[] m2 = new double[channels];
        double[] total = new double[channels];
        for (double[] q : all) {
            for (int c = 0; c < channels; c++) {
                double nq = q[2 * channels + c];
                double merged = total[c] + nq;
                double delta = q[c] - mean[c];
                mean[c] += delta * nq / merged;
                m2[c] += q[channels + c] + delta * delta * total[c] * nq / merged;
                total[c] = merged;
            }
        }
        globalCount = (long) total[0];
        if (globalCount < 2) {
            throw new IllegalArgumentException("SyncBatchNorm.forward: training needs more than one value per channel"
                    + " over all workers, got " + globalCount);
        }
        for (int c = 0; c < channels; c++) {
            var[c] = m2[c] / total[c];
        }
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (inputShape == null || !Arrays.equals(gradOutput.shape(), inputShape)) {
            throw new IllegalArgumentException("SyncBatchNorm.backward: expected a gradient of shape "
                    + Arrays.toString(inputShape) + " after a forward, got " + Arrays.toString(gradOutput.shape()));
        }
        int s = (int) (gradOutput.length() / (inputShape[0] * channels));
        double[] g = gradOutput.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] sums = new double[2 * channels];
        for (int i = 0; i < g.length; i++) {
            int c = channel(i, s);
            sums[c] += g[i];
            sums[channels + c] += g[i] * xhat[i];
        }
        if (weight != null) {
            bias.gradient().addi(Nd4j.createFromArray(Arrays.copyOfRange(sums, 0, channels)).castTo(dtype));
            weight.gradient().addi(Nd4j.createFromArray(Arrays.copyOfRange(sums, channels, 2 * channels)).castTo(dtype));
        }
        double[] w = weight == null ? null : weight.value().castTo(DataType.DOUBLE).toDoubleVector();
        double[] dx = new double[g.length];
        if (lastTraining) {
            double[] global = new double[2 * channels];
            for (double[] q : gather("bn-grads#", sums)) {
                for (int k = 0; k < global.length; k++) {
                    global[k] += q[k];
                }
            }
            double m = globalCount;
            for (int i = 0; i < g.length; i++) {
                int c = channel(i, s);
                double scale = (w == null ? 1 : w[c]) * invStd[c] / m;
                dx[i] = scale * (m * g[i] - global[c] - xhat[i] * global[channels + c]);
            }
        } else {
            for (int i = 0; i < g.length; i++) {
                int c = channel(i, s);
                dx[i] = g[i] * (w == null ? 1 : w[c]) * invStd[c];
            }
        }
        return Nd4j.create(dx, inputShape, 'c').castTo(dtype);
    }

    private List<double[]> gather(String what, double[] mine) {
        ByteBuffer out = ByteBuffer.allocate(mine.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.asDoubleBuffer().put(mine);
        List<byte[]> all = collective.allGather(what + exchanges++, out.array());
        List<double[]> values = new ArrayList<>(all.size());
        for (byte[] b : all) {
            double[] v = new double[mine.length];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
            values.add(v);
        }
        return values;
    }

    /** The channel of flat C-order index i of an {@code [N, C, S]} array. */
    private int channel(int i, int s) {
        return (i / s) % channels;
    }
}
