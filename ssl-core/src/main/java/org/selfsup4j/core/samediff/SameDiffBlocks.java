package org.selfsup4j.core.samediff;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the standard layers into a {@link SameDiff} graph, with weights initialized as PyTorch does
 * ({@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} for weights and biases; norm scales 1, shifts 0) from
 * a seeded generator, so one seed fixes the graph.
 *
 * <p>Shapes follow PyTorch: linear {@code [N, in] -> [N, out]}, conv1d NCW, conv2d NCHW with weights
 * {@code [out, in, kH, kW]}. Variable names are {@code prefix + "/weight"} etc.; names ending in
 * {@code /bias}, {@code /gamma} and {@code /beta} are treated as no-decay by {@link SameDiffEncoder}.
 *
 * <p>Batch norm here always normalizes with the statistics of the current batch (training-mode
 * batch norm, as self-supervised pretraining uses it) and keeps no running averages: for inference
 * with running statistics use {@link org.selfsup4j.core.nn.BatchNorm}.
 */
public final class SameDiffBlocks {
    /** PyTorch's default epsilon for batch, layer and group norm. */
    public static final double DEFAULT_NORM_EPS = 1e-5;

    private final SameDiff sd;
    private final DataType dataType;
    private final SplittableRandom random;

    /**
     * @param sd the graph to build into
     * @param dataType of every weight (FLOAT or DOUBLE)
     * @param seed fixes every initial weight
     */
    public SameDiffBlocks(SameDiff sd, DataType dataType, long seed) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("SameDiffBlocks: dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        this.sd = sd;
        this.dataType = dataType;
        this.random = new SplittableRandom(seed);
    }

    /** The graph being built. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** {@code y = x W + b}, x {@code [N, in]}, W {@code [in, out]}. */
    public SDVariable linear(String name, SDVariable x, int in, int out, boolean bias) {
        checkPositive("linear " + name, "in", in);
        checkPositive("linear " + name, "out", out);
        SDVariable w = sd.var(name + "/weight", uniform(1.0 / Math.sqrt(in), in, out));
        SDVariable y = x.mmul(w);
        if (bias) {
            y = y.add(sd.var(name + "/bias", uniform(1.0 / Math.sqrt(in), 1, out)));
        }
        return y;
    }

    /** 2-D convolution, NCHW, weights {@code [k, k, in, out]}, zero padding. */
    public SDVariable conv2d(String name, SDVariable x, int in, int out, int kernel, int stride, int padding,
                             boolean bias) {
        checkPositive("conv2d " + name, "kernel", kernel);
        checkPositive("conv2d " + name, "stride", stride);
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        SDVariable w = sd.var(name + "/weight", uniform(bound, kernel, kernel, in, out));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        if (bias) {
            return sd.cnn().conv2d(name, x, w, sd.var(name + "/bias", uniform(bound, out)), cfg);
        }
        return sd.cnn().conv2d(name, x, w, cfg);
    }

    /** 1-D convolution, NCW, zero padding; weights stored as {@code [k, in, out]} (ND4J's layout). */
    public SDVariable conv1d(String name, SDVariable x, int in, int out, int kernel, int stride, int padding,
                             boolean bias) {
        checkPositive("conv1d " + name, "kernel", kernel);
        checkPositive("conv1d " + name, "stride", stride);
        double bound = 1.0 / Math.sqrt((double) in * kernel);
        SDVariable w = sd.var(name + "/weight", uniform(bound, kernel, in, out));
        Conv1DConfig cfg = Conv1DConfig.builder().k(kernel).s(stride).p(padding).d(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCW").build();
        if (bias) {
            return sd.cnn().conv1d(name, x, w, sd.var(name + "/bias", uniform(bound, out)), cfg);
        }
        return sd.cnn().conv1d(name, x, w, cfg);
    }

    /**
     * Batch norm over axis 1 with batch statistics (biased variance, as PyTorch normalizes):
     * {@code y = gamma (x - mean) / sqrt(var + eps) + beta}, for {@code [N, C]}, {@code [N, C, L]} or
     * {@code [N, C, H, W]}.
     *
     * @param rank the rank of x (2, 3 or 4)
     */
    public SDVariable batchNorm(String name, SDVariable x, int channels, int rank, boolean affine) {
        int[] axes = switch (rank) {
            case 2 -> new int[] {0};
            case 3 -> new int[] {0, 2};
            case 4 -> new int[] {0, 2, 3};
            default -> throw new IllegalArgumentException("batchNorm " + name + ": rank must be 2, 3 or 4, got " + rank);
        };
        SDVariable mean = x.mean(true, axes);
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, axes);
        SDVariable y = centred.div(sd.math().sqrt(var.add(DEFAULT_NORM_EPS)));
        return affine ? affine(name, y, channels, rank) : y;
    }

    /** Layer norm over the last axis, with scale and shift of size {@code features}. */
    public SDVariable layerNorm(String name, SDVariable x, int features, int rank) {
        int last = rank - 1;
        SDVariable mean = x.mean(true, last);
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, last);
        SDVariable y = centred.div(sd.math().sqrt(var.add(DEFAULT_NORM_EPS)));
        SDVariable gamma = sd.var(name + "/gamma", Nd4j.ones(dataType, features));
        SDVariable beta = sd.var(name + "/beta", Nd4j.zeros(dataType, features));
        return y.mul(gamma).add(beta);
    }

    /**
     * Group norm (Wu and He 2018): channels split into {@code groups}, each normalized over its
     * channels and positions; then a per-channel scale and shift. x is {@code [N, C, L]} or
     * {@code [N, C, H, W]} with known C.
     */
    public SDVariable groupNorm(String name, SDVariable x, int groups, int channels, int rank) {
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException("groupNorm " + name + ": channels (" + channels
                    + ") must be a positive multiple of groups (" + groups + ")");
        }
        SDVariable shape = x.shape();
        SDVariable grouped = x.reshape(sd.concat(0, shape.get(org.nd4j.autodiff.samediff.SDIndex.point(0)).reshape(1),
                sd.constant(Nd4j.createFromArray((long) groups, -1L))));
        SDVariable mean = grouped.mean(true, 2);
        SDVariable centred = grouped.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 2);
        SDVariable y = centred.div(sd.math().sqrt(var.add(DEFAULT_NORM_EPS))).reshape(shape);
        return affine(name, y, channels, rank);
    }

    /** ReLU. */
    public SDVariable relu(SDVariable x) {
        return sd.nn().relu(x, 0.0);
    }

    /**
     * GELU, exact erf form {@code 0.5 x (1 + erf(x / sqrt 2))} as PyTorch's default. Written out
     * with {@code erf} because M2.1's {@code preciseGelu} back-propagates the tanh approximation's
     * derivative (gradient off by ~0.4%, caught by the finite-difference test).
     */
    public SDVariable gelu(SDVariable x) {
        return x.mul(sd.math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
    }

    /** Mean over every axis after the channel axis: {@code [N, C, ...] -> [N, C]}. */
    public SDVariable globalAvgPool(SDVariable x, int rank) {
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        return x.mean(axes);
    }

    /**
     * ResNet basic block (He et al. 2016): conv3x3-BN-ReLU-conv3x3-BN plus the identity (or a 1x1
     * strided conv + BN when the shape changes), then ReLU.
     */
    public SDVariable residualBlock(String name, SDVariable x, int in, int out, int stride) {
        SDVariable h = relu(batchNorm(name + "/bn1", conv2d(name + "/conv1", x, in, out, 3, stride, 1, false), out, 4, true));
        h = batchNorm(name + "/bn2", conv2d(name + "/conv2", h, out, out, 3, 1, 1, false), out, 4, true);
        SDVariable shortcut = x;
        if (stride != 1 || in != out) {
            shortcut = batchNorm(name + "/down_bn", conv2d(name + "/down", x, in, out, 1, stride, 0, false), out, 4, true);
        }
        return relu(h.add(shortcut));
    }

    /**
     * SimCLR/BYOL-style MLP head: {@code (linear -> batch norm -> ReLU)} for every hidden size, then a
     * final linear to {@code out}.
     */
    public SDVariable mlpHead(String name, SDVariable x, int in, int[] hidden, int out) {
        SDVariable h = x;
        int width = in;
        for (int i = 0; i < hidden.length; i++) {
            h = linear(name + "/fc" + i, h, width, hidden[i], false);
            h = relu(batchNorm(name + "/bn" + i, h, hidden[i], 2, true));
            width = hidden[i];
        }
        return linear(name + "/out", h, width, out, true);
    }

    private SDVariable affine(String name, SDVariable y, int channels, int rank) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = channels;
        SDVariable gamma = sd.var(name + "/gamma", Nd4j.ones(dataType, channels));
        SDVariable beta = sd.var(name + "/beta", Nd4j.zeros(dataType, channels));
        return y.mul(gamma.reshape(shape)).add(beta.reshape(shape));
    }

    private INDArray uniform(double bound, long... shape) {
        INDArray a = Nd4j.create(dataType, shape);
        long n = a.length();
        INDArray flat = a.reshape(n);
        for (long i = 0; i < n; i++) {
            flat.putScalar(i, (random.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }

    private static void checkPositive(String where, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(where + ": " + what + " must be positive, got " + value);
        }
    }
}
