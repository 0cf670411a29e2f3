package org.selfsup4j.speech.model.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Conv1d;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.GELU;
import org.selfsup4j.core.nn.GroupNorm;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.Sequential;

/**
 * The convolutional feature encoder of wav2vec 2.0 / HuBERT (fairseq's
 * {@code ConvFeatureExtractionModel}, {@code mode="default"}): a stack of bias-free 1-D convolutions
 * over the raw waveform, each followed by GELU; the first one also by a group norm with one group per
 * channel (i.e. per-channel normalisation over time).
 *
 * <pre>
 *   z = GELU(conv_L(... GELU(GroupNorm(conv_1(x))) ...))        then transposed to [N, T, C]
 *   T = frames(samples): t_0 = samples, t_i = floor((t_{i-1} - k_i) / s_i) + 1
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input (waveform)</td><td>{@code [N, samples]}</td></tr>
 *   <tr><td>output (one feature vector per frame)</td><td>{@code [N, T, C_last]}</td></tr>
 *   <tr><td>{@code <i>.conv.weight}</td><td>{@code [C_i, C_{i-1}, k_i]} (C_0 = 1)</td></tr>
 * </table>
 *
 * <p>Usable directly as the {@link Encoder} of a {@link org.selfsup4j.core.train.Trainer}; the
 * output is a reused buffer. No dropout.
 */
public final class ConvFeatureEncoder implements Encoder {
    private static final String WHERE = "ConvFeatureEncoder";
    private final int[] channels;
    private final int[] kernels;
    private final int[] strides;
    private final DataType dtype;
    private final Sequential stack;
    private long[] inputShape;
    private long[] outShape;
    private boolean ready;
    private INDArray out;
    private INDArray gradT;

    /**
     * @param channels output channels of each layer
     * @param kernels kernel width of each layer
     * @param strides stride of each layer
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights, layer by layer
     */
    public ConvFeatureEncoder(int[] channels, int[] kernels, int[] strides, DataType dtype, SplittableRandom rng) {
        if (channels.length == 0 || channels.length != kernels.length || channels.length != strides.length) {
            throw new IllegalArgumentException(WHERE + ": channels, kernels and strides must be non-empty and of equal length, got "
                    + Arrays.toString(channels) + ", " + Arrays.toString(kernels) + ", " + Arrays.toString(strides));
        }
        Checks.floatType(WHERE, dtype);
        this.channels = channels.clone();
        this.kernels = kernels.clone();
        this.strides = strides.clone();
        this.dtype = dtype;
        Sequential.Builder b = Sequential.builder();
        int in = 1;
        for (int i = 0; i < channels.length; i++) {
            Checks.positive(WHERE, "channels[" + i + "]", channels[i]);
            List<String> names = new ArrayList<>();
            List<Module> mods = new ArrayList<>();
            names.add("conv");
            mods.add(new Conv1d(in, channels[i], kernels[i], strides[i], 0, false, dtype, rng));
            if (i == 0) {
                names.add("norm");
                mods.add(new GroupNorm(channels[i], channels[i], GroupNorm.DEFAULT_EPS, true, dtype));
            }
            names.add("act");
            mods.add(new GELU());
            b.add(Integer.toString(i), new Sequential(names, mods));
            in = channels[i];
        }
        this.stack = b.build();
    }

    /** Output channels C of the last layer. */
    public int outputChannels() {
        return channels[channels.length - 1];
    }

    /** Total stride (samples per frame). */
    public int totalStride() {
        int s = 1;
        for (int v : strides) {
            s *= v;
        }
        return s;
    }

    /** Receptive field of one frame, in samples. */
    public int receptiveField() {
        int rf = 1;
        int jump = 1;
        for (int i = 0; i < kernels.length; i++) {
            rf += (kernels[i] - 1) * jump;
            jump *= strides[i];
        }
        return rf;
    }

    /** Frames T produced from {@code samples} samples (0 if too short). */
    public long frames(long samples) {
        long t = samples;
        for (int i = 0; i < kernels.length; i++) {
            if (t < kernels[i]) {
                return 0;
            }
            t = (t - kernels[i]) / strides[i] + 1;
        }
        return t;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input == null || input.rank() != 2) {
            throw new IllegalArgumentException(WHERE + ".forward: expected a waveform batch [N, samples], got "
                    + (input == null ? "null" : Checks.shape(input)));
        }
        if (input.dataType() != dtype) {
            throw new IllegalArgumentException(WHERE + ".forward: expected data type " + dtype + ", got " + input.dataType());
        }
        if (frames(input.size(1)) < 1) {
            throw new IllegalArgumentException(WHERE + ".forward: " + input.size(1) + " samples are fewer than the receptive field "
                    + receptiveField());
        }
        inputShape = input.shape();
        INDArray y = stack.forward(NdArrays.view(input, input.size(0), 1, input.size(1)), training);
        outShape = new long[] {y.size(0), y.size(2), y.size(1)};
        out = NdArrays.reuse(out, dtype, outShape);
        out.assign(y.permute(0, 2, 1));
        ready = training;
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.state(ready, WHERE + ".backward", "backward called before a training forward");
        Checks.shapeEquals(WHERE + ".backward", "gradOutput", gradOutput, outShape);
        gradT = NdArrays.reuse(gradT, dtype, outShape[0], outShape[2], outShape[1]);
        gradT.assign(gradOutput.permute(0, 2, 1));
        return stack.backward(gradT).reshape(inputShape);
    }

    @Override
    public List<Parameter> parameters() {
        return stack.parameters();
    }

    @Override
    public String toString() {
        return "ConvFeatureEncoder(channels=" + Arrays.toString(channels) + ", kernels=" + Arrays.toString(kernels)
                + ", strides=" + Arrays.toString(strides) + ", " + dtype + ")";
    }
}
