package org.selfsup4j.core.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ChannelKernels;
import org.selfsup4j.core.kernel.ConvWorkspace;
import org.selfsup4j.core.kernel.ElementwiseKernels;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.kernel.StridedCopy;

/**
 * Batch normalization over the batch and spatial axes, per channel, as PyTorch's
 * {@code nn.BatchNorm1d}/{@code nn.BatchNorm2d}.
 *
 * <pre>
 * training: y = (x - mean_B) / sqrt(var_B + eps) * weight + bias      (var_B biased, over N and spatial axes)
 *           running_mean = (1 - momentum) * running_mean + momentum * mean_B
 *           running_var  = (1 - momentum) * running_var  + momentum * var_B * M / (M - 1)   (M = N * spatial)
 * eval:     y = (x - running_mean) / sqrt(running_var + eps) * weight + bias
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [N, C]}, {@code [N, C, L]} or {@code [N, C, H, W]}</td></tr>
 *   <tr><td>{@code weight}, {@code bias} (if affine; no weight decay)</td><td>{@code [C]}, initialised to 1 and 0</td></tr>
 *   <tr><td>buffers {@code running_mean}, {@code running_var}</td><td>{@code [C]}, initialised to 0 and 1</td></tr>
 * </table>
 *
 * <p>On the CPU the layer keeps a reference to its input, not a normalized copy (as {@link Linear}):
 * the input must not be modified between forward and backward (no block of this library does).
 *
 * <p>{@link #backward} after an eval-mode forward differentiates the eval-mode function (fixed
 * statistics), which is what linear probing through a frozen network needs.
 */
public final class BatchNorm implements Module {
    /** PyTorch's default epsilon. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default momentum (weight of the new batch statistic). */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final int channels;
    private final double eps;
    private final double momentum;
    private final DataType dtype;
    private final Parameter weight;
    private final Parameter bias;
    private final INDArray runningMean;
    private final INDArray runningVar;

    private long[] inputShape;
    private boolean lastTraining;
    private INDArray xhat;
    private INDArray out;
    private INDArray tmp;
    private INDArray dx;
    private final INDArray mean;
    private final INDArray var;
    private final INDArray invStd;
    private final INDArray scale;
    private final INDArray s1;
    private final INDArray s2;
    private double[] hostInvStd;
    private boolean hostForward;
    /** Whether a ReLU follows inside this module ({@link #fuseRelu}); its masked gradient. */
    private boolean reluAfter;
    private INDArray gMasked;
    /**
     * Host path: the forward's input (a reference, as {@link Linear} keeps one: callers do not modify a
     * block's input before its backward) and the mean it was centred with; xhat is formed again from them
     * in backward instead of being kept (one activation-sized array less per batch norm).
     */
    private INDArray hostInput;
    private double[] hostMean;
    private long lastN;
    private long lastS;

    /**
     * @param channels C
     * @param eps added to the variance
     * @param momentum weight of the batch statistics in the running averages
     * @param affine whether to learn a per-channel scale {@code weight} and shift {@code bias}
     * @param dtype FLOAT or DOUBLE
     */
    public BatchNorm(int channels, double eps, double momentum, boolean affine, DataType dtype) {
        Checks.positive("BatchNorm", "channels", channels);
        Checks.floatType("BatchNorm", dtype);
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm: need eps > 0 and momentum in [0, 1], got eps=" + eps
                    + ", momentum=" + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.dtype = dtype;
        this.weight = affine ? new Parameter("weight", Nd4j.ones(dtype, channels), false) : null;
        this.bias = affine ? new Parameter("bias", Nd4j.zeros(dtype, channels), false) : null;
        this.runningMean = Nd4j.zeros(dtype, channels);
        this.runningVar = Nd4j.ones(dtype, channels);
        this.mean = Nd4j.create(dtype, channels);
        this.var = Nd4j.create(dtype, channels);
        this.invStd = Nd4j.create(dtype, channels);
        this.scale = Nd4j.create(dtype, channels);
        this.s1 = Nd4j.create(dtype, channels);
        this.s2 = Nd4j.create(dtype, channels);
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm(int channels, boolean affine, DataType dtype) {
        this(channels, DEFAULT_EPS, DEFAULT_MOMENTUM, affine, dtype);
    }

    /** Affine, float32, PyTorch's defaults. */
    public BatchNorm(int channels) {
        this(channels, true, DataType.FLOAT);
    }

    public int channels() { return channels; }

    /**
     * Makes this module compute {@code relu(batchnorm(x))} (for a block that owns both): the ReLU is
     * applied in the scale pass and its mask to the incoming gradient, so no separate ReLU pass and no
     * ReLU output array. Package-private: only {@link ResidualBlock} uses it.
     */
    void fuseRelu() {
        reluAfter = true;
    }

    public INDArray runningMean() { return runningMean; }

    public INDArray runningVar() { return runningVar; }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("BatchNorm.forward", "input", input);
        if (input.rank() < 2 || input.rank() > 4 || input.size(1) != channels) {
            throw new IllegalArgumentException("BatchNorm.forward: expected input [N, " + channels + "], [N, "
                    + channels + ", L] or [N, " + channels + ", H, W], got " + Checks.shape(input));
        }
        Checks.dataType("BatchNorm.forward", "input", input, dtype);
        Checks.nonEmpty("BatchNorm.forward", "input", input);
        long n = input.size(0);
        long s = input.length() / (n * channels);
        long m = n * s;
        if (training && m < 2) {
            throw new IllegalArgumentException("BatchNorm.forward: training needs more than one value per channel, got input "
                    + Checks.shape(input));
        }
        INDArray x3 = NdArrays.view(input, n, channels, s);
        out = NdArrays.reuse(out, dtype, n, channels, s);
        hostForward = hostPath(x3, out);
        lastN = n;
        lastS = s;
        if (hostForward) {
            forwardHost(x3, training, n, s, m);
            inputShape = input.shape();
            lastTraining = training;
            return out.reshape(inputShape);
        }
        hostInput = null;
        xhat = NdArrays.reuse(xhat, dtype, n, channels, s);
        // squared deviations (forward) and g * xhat (backward) are transient: shared scratch
        tmp = ConvWorkspace.shaped(ConvWorkspace.ELEMENTWISE, dtype, n, channels, s);
        if (training) {
            x3.mean(mean, 0, 2);
            Nd4j.exec(new BroadcastSubOp(x3, mean, xhat, 1));
            Nd4j.exec(new MulOp(xhat, xhat, tmp));
            tmp.mean(var, 0, 2);
            runningMean.muli(1 - momentum).addi(mean.mul(momentum));
            runningVar.muli(1 - momentum).addi(var.mul(momentum * m / (m - 1.0)));
        } else {
            mean.assign(runningMean);
            var.assign(runningVar);
            Nd4j.exec(new BroadcastSubOp(x3, mean, xhat, 1));
        }
        invStd.assign(var).addi(eps);
        Transforms.sqrt(invStd, false);
        invStd.rdivi(1.0);
        Nd4j.exec(new BroadcastMulOp(xhat, invStd, xhat, 1));
        if (weight != null) {
            Nd4j.exec(new BroadcastMulOp(xhat, weight.value(), out, 1));
            Nd4j.exec(new BroadcastAddOp(out, bias.value(), out, 1));
        } else {
            out.assign(xhat);
        }
        if (reluAfter) {
            Nd4j.exec(new RectifiedLinear(out, out, 0.0));
        }
        inputShape = input.shape();
        lastTraining = training;
        return out.reshape(inputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("BatchNorm.backward", inputShape != null, gradOutput, inputShape);
        long n = lastN;
        long s = lastS;
        double m = n * s;
        INDArray g3 = NdArrays.view(gradOutput, n, channels, s);
        if (reluAfter) {
            // out > 0 exactly where the pre-activation was > 0 (as ReLU's backward)
            gMasked = NdArrays.reuse(gMasked, dtype, n, channels, s);
            ElementwiseKernels.reluGradient(out, g3, gMasked);
            g3 = gMasked;
        }
        dx = NdArrays.reuse(dx, dtype, n, channels, s);
        if (hostForward) {
            // the host forward kept no xhat: a strided gradient is made dense rather than sent to libnd4j
            backwardHost(hostPath(g3) ? g3 : g3.dup('c'), n, s, m);
            return dx.reshape(inputShape);
        }
        tmp = ConvWorkspace.shaped(ConvWorkspace.ELEMENTWISE, dtype, n, channels, s);
        g3.sum(s1, 0, 2);
        Nd4j.exec(new MulOp(g3, xhat, tmp));
        tmp.sum(s2, 0, 2);
        if (weight != null) {
            weight.gradient().addi(s2);
            bias.gradient().addi(s1);
            scale.assign(weight.value()).muli(invStd);
        } else {
            scale.assign(invStd);
        }
        if (lastTraining) {
            // dx = weight * invStd * (g - mean(g) - xhat * mean(g * xhat))
            s1.muli(-1.0 / m);
            s2.muli(-1.0 / m);
            Nd4j.exec(new BroadcastMulOp(xhat, s2, dx, 1));
            dx.addi(g3);
            Nd4j.exec(new BroadcastAddOp(dx, s1, dx, 1));
            Nd4j.exec(new BroadcastMulOp(dx, scale, dx, 1));
        } else {
            Nd4j.exec(new BroadcastMulOp(g3, scale, dx, 1));
        }
        return dx.reshape(inputShape);
    }

    /** Whether the host loops of {@link ChannelKernels} apply to these (contiguous) arrays. */
    private boolean hostPath(INDArray... arrays) {
        if (!StridedCopy.cpu() || arrays[0].length() > Integer.MAX_VALUE / 2
                || arrays[0].length() / arrays[0].size(0) > Integer.MAX_VALUE / 2) {
            return false;
        }
        for (INDArray a : arrays) {
            if ((dtype == DataType.FLOAT ? StridedCopy.floats(a) : StridedCopy.doubles(a)) == null) {
                return false;
            }
        }
        return true;
    }

    private void forwardHost(INDArray x3, boolean training, long nl, long sl, long m) {
        int n = (int) nl;
        int c = channels;
        int s = (int) sl;
        double[] dMean = new double[c];
        double[] dSq = new double[c];
        if (training) {
            if (dtype == DataType.FLOAT) {
                ChannelKernels.sums(StridedCopy.floats(x3), (int) x3.offset(), n, c, s, dMean);
            } else {
                ChannelKernels.sums(StridedCopy.doubles(x3), (int) x3.offset(), n, c, s, dMean);
            }
            for (int i = 0; i < c; i++) {
                dMean[i] /= m;
            }
        } else {
            dMean = runningMean.toDoubleVector();
        }
        if (training) {
            // squared deviations only: the centred values are formed again in the scale pass (no write here)
            if (dtype == DataType.FLOAT) {
                ChannelKernels.center(StridedCopy.floats(x3), (int) x3.offset(), null, 0, n, c, s, dMean, dSq);
            } else {
                ChannelKernels.center(StridedCopy.doubles(x3), (int) x3.offset(), null, 0, n, c, s, dMean, dSq);
            }
        }
        double[] dVar = training ? new double[c] : runningVar.toDoubleVector();
        if (training) {
            for (int i = 0; i < c; i++) {
                dVar[i] = dSq[i] / m;
            }
        }
        hostInvStd = hostInvStd == null || hostInvStd.length != c ? new double[c] : hostInvStd;
        for (int i = 0; i < c; i++) {
            mean.putScalar(i, dMean[i]);
            var.putScalar(i, dVar[i]);
            // the same float rounding as the libnd4j path: invStd = 1 / sqrt(var + eps) in the array's type
            hostInvStd[i] = dtype == DataType.FLOAT ? (double) (1.0f / (float) Math.sqrt((float) ((float) dVar[i] + eps)))
                    : 1.0 / Math.sqrt(dVar[i] + eps);
            invStd.putScalar(i, hostInvStd[i]);
        }
        if (training) {
            runningMean.muli(1 - momentum).addi(mean.mul(momentum));
            runningVar.muli(1 - momentum).addi(var.mul(momentum * m / (m - 1.0)));
        }
        double[] w = weight == null ? null : weight.value().toDoubleVector();
        double[] b = weight == null ? null : bias.value().toDoubleVector();
        if (dtype == DataType.FLOAT) {
            ChannelKernels.scaleShift(StridedCopy.floats(x3), (int) x3.offset(), dMean, null, 0,
                    StridedCopy.floats(out), (int) out.offset(), n, c, s, hostInvStd, w, b, reluAfter);
        } else {
            ChannelKernels.scaleShift(StridedCopy.doubles(x3), (int) x3.offset(), dMean, null, 0,
                    StridedCopy.doubles(out), (int) out.offset(), n, c, s, hostInvStd, w, b, reluAfter);
        }
        hostInput = x3;
        hostMean = dMean;
        xhat = null;
    }

    private void backwardHost(INDArray g3, long nl, long sl, double m) {
        int n = (int) nl;
        int c = channels;
        int s = (int) sl;
        double[] d1 = new double[c];
        double[] d2 = new double[c];
        if (dtype == DataType.FLOAT) {
            ChannelKernels.gradSums(StridedCopy.floats(g3), (int) g3.offset(), StridedCopy.floats(hostInput),
                    (int) hostInput.offset(), hostMean, hostInvStd, n, c, s, d1, d2);
        } else {
            ChannelKernels.gradSums(StridedCopy.doubles(g3), (int) g3.offset(), StridedCopy.doubles(hostInput),
                    (int) hostInput.offset(), hostMean, hostInvStd, n, c, s, d1, d2);
        }
        double[] w = weight == null ? null : weight.value().toDoubleVector();
        double[] sc = new double[c];
        double[] k1 = new double[c];
        double[] k2 = new double[c];
        for (int i = 0; i < c; i++) {
            s1.putScalar(i, d1[i]);
            s2.putScalar(i, d2[i]);
            sc[i] = (w == null ? 1.0 : w[i]) * hostInvStd[i];
            if (lastTraining) {
                k1[i] = -d1[i] / m;
                k2[i] = -d2[i] / m;
            }
        }
        if (weight != null) {
            weight.gradient().addi(s2);
            bias.gradient().addi(s1);
        }
        if (dtype == DataType.FLOAT) {
            ChannelKernels.gradInput(StridedCopy.floats(g3), (int) g3.offset(), StridedCopy.floats(hostInput),
                    (int) hostInput.offset(), hostMean, hostInvStd, StridedCopy.floats(dx), (int) dx.offset(), n, c, s, sc,
                    k1, k2);
        } else {
            ChannelKernels.gradInput(StridedCopy.doubles(g3), (int) g3.offset(), StridedCopy.doubles(hostInput),
                    (int) hostInput.offset(), hostMean, hostInvStd, StridedCopy.doubles(dx), (int) dx.offset(), n, c, s,
                    sc, k1, k2);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    /** {@code running_mean} and {@code running_var}, as PyTorch names them. */
    @Override
    public Map<String, INDArray> buffers() {
        Map<String, INDArray> b = new LinkedHashMap<>();
        b.put("running_mean", runningMean);
        b.put("running_var", runningVar);
        return Collections.unmodifiableMap(b);
    }

    @Override
    public String toString() {
        return "BatchNorm(" + channels + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", " + dtype + ")";
    }
}
