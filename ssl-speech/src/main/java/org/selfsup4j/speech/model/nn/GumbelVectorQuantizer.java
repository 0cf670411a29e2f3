package org.selfsup4j.speech.model.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Init;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.transformer.NamedParameters;
import org.selfsup4j.core.nn.transformer.ParameterizedLayer;

/**
 * The Gumbel-softmax product quantizer of wav2vec 2.0 (fairseq's {@code GumbelVectorQuantizer},
 * {@code combine_groups=False}): G codebooks of V entries; each frame picks one entry per codebook and
 * the picks are concatenated.
 *
 * <pre>
 *   l      = x W^T + b                                       logits, viewed [F, G, V]
 *   train: n_fgv = -log(-log u),  u ~ U(0,1) from the given seeded generator
 *          s_fg  = softmax_v((l_fg + n_fg) / tau)             soft choice
 *          h_fg  = onehot(argmax_v s_fg)                      hard choice
 *          forward uses h, backward uses ds (straight-through: h - stopgrad(s) + s)
 *   eval:  h_fg  = onehot(argmax_v l_fg), no noise
 *   q_f    = concat_g( sum_v h_fgv e_gv )                     e = codebook [G V, d], d = dimension / G
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input x</td><td>{@code [F, C]} or {@code [N, T, C]}</td></tr>
 *   <tr><td>output q</td><td>{@code [F, G d]} or {@code [N, T, G d]}</td></tr>
 *   <tr><td>{@link #logits()} (before noise, for the diversity loss)</td><td>{@code [F, G, V]}</td></tr>
 *   <tr><td>{@code weight_proj.weight}, {@code weight_proj.bias}</td><td>{@code [G V, C]} ~ N(0, 1), {@code [G V]} = 0</td></tr>
 *   <tr><td>{@code vars} (codebook)</td><td>{@code [G V, d]} ~ U(0, 1)</td></tr>
 * </table>
 *
 * <p>Defaults of wav2vec 2.0 base: G = 2, V = 320, temperature annealed from 2 to 0.5 by a factor
 * 0.999995 per update ({@link #temperatureAt(long, double, double, double)}). The noise comes from the
 * caller's {@link SplittableRandom} (SameDiff's random ops ignore seeds). Deviations: none known in the
 * forward pass; fairseq's weight projection uses {@code nn.init.normal_(mean=0, std=1)} and zero bias, as here.
 */
public final class GumbelVectorQuantizer extends ParameterizedLayer {
    /** Codebooks G of wav2vec 2.0. */
    public static final int DEFAULT_GROUPS = 2;
    /** Entries per codebook V of wav2vec 2.0. */
    public static final int DEFAULT_ENTRIES = 320;
    /** Initial Gumbel temperature. */
    public static final double DEFAULT_MAX_TEMPERATURE = 2.0;
    /** Final Gumbel temperature. */
    public static final double DEFAULT_MIN_TEMPERATURE = 0.5;
    /** Temperature decay per update. */
    public static final double DEFAULT_TEMPERATURE_DECAY = 0.999995;

    private static final String WHERE = "GumbelVectorQuantizer";
    private final int inDim;
    private final int groups;
    private final int entries;
    private final int varDim;
    private final DataType dtype;
    private final Linear weightProj;
    private final Parameter vars;

    private long[] inShape;
    private long[] outShape;
    private long frames;
    private double temperature = DEFAULT_MAX_TEMPERATURE;
    private INDArray logits;
    private INDArray soft;
    private INDArray hard;
    private INDArray hardT;
    private INDArray sel;
    private INDArray out;
    private INDArray dSel;
    private INDArray dHardT;
    private INDArray dLogits;
    private INDArray rowSum;
    private INDArray tmp;
    private INDArray dVars;
    private int[] lastCodes;

    /**
     * @param inDim input features C
     * @param groups G
     * @param entries V per group
     * @param dimension output dimension G d (divisible by G)
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights (projection, then codebook)
     */
    public GumbelVectorQuantizer(int inDim, int groups, int entries, int dimension, DataType dtype, SplittableRandom rng) {
        Checks.positive(WHERE, "inDim", inDim);
        Checks.positive(WHERE, "entries", entries);
        this.varDim = Checks.parts(WHERE, "dimension", dimension, "groups", groups);
        Checks.floatType(WHERE, dtype);
        this.inDim = inDim;
        this.groups = groups;
        this.entries = entries;
        this.dtype = dtype;
        this.weightProj = new Linear(inDim, groups * entries, true, dtype, rng);
        List<Parameter> wp = weightProj.parameters();
        wp.get(0).value().assign(Init.normal(rng, 1.0, dtype, groups * entries, inDim));
        wp.get(1).value().assign(0);
        INDArray v = Nd4j.create(dtype, (long) groups * entries, varDim);
        v.assign(Init.uniform(rng, 0.5, dtype, (long) groups * entries, varDim).addi(0.5));
        this.vars = new Parameter("vars", v, true);
        setParameters(new NamedParameters().add("weight_proj", wp).add(vars).build());
    }

    /** The annealed temperature after {@code step} updates: {@code max(max * decay^step, min)}. */
    public static double temperatureAt(long step, double max, double min, double decay) {
        return Math.max(max * Math.pow(decay, step), min);
    }

    /** Sets the Gumbel temperature used by the next training forward. */
    public void setTemperature(double tau) {
        this.temperature = Checks.positive(WHERE + ".setTemperature", "tau", tau);
    }

    /** The current Gumbel temperature. */
    public double temperature() {
        return temperature;
    }

    /** Codebooks G. */
    public int groups() {
        return groups;
    }

    /** Entries per codebook V. */
    public int entries() {
        return entries;
    }

    /** Eval-mode forward (no noise). */
    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (training) {
            throw new IllegalArgumentException(WHERE + ".forward: training needs Gumbel noise; call forward(input, rng)");
        }
        return run(input, null, false);
    }

    /** Training forward with Gumbel noise drawn from {@code rng}. */
    public INDArray forward(INDArray input, SplittableRandom rng) {
        return run(input, Checks.notNull(WHERE + ".forward", "rng", rng), true);
    }

    private INDArray run(INDArray input, SplittableRandom rng, boolean training) {
        if (input == null || (input.rank() != 2 && input.rank() != 3) || input.size(-1) != inDim
                || input.dataType() != dtype) {
            throw new IllegalArgumentException(WHERE + ".forward: expected " + dtype + " input [F, " + inDim + "] or [N, T, "
                    + inDim + "], got " + (input == null ? "null" : input.dataType() + " " + Checks.shape(input)));
        }
        inShape = input.shape();
        frames = input.length() / inDim;
        outShape = inShape.clone();
        outShape[outShape.length - 1] = (long) groups * varDim;
        long fg = frames * groups;
        INDArray l = weightProj.forward(NdArrays.view(input, frames, inDim), training);
        logits = NdArrays.reuse(logits, dtype, frames, groups, entries);
        logits.assign(l.reshape(frames, groups, entries));
        soft = NdArrays.reuse(soft, dtype, fg, entries);
        hard = NdArrays.reuse(hard, dtype, fg, entries);
        soft.assign(logits.reshape(fg, entries));
        if (training) {
            double[] noise = new double[Math.toIntExact(fg * entries)];
            for (int i = 0; i < noise.length; i++) {
                double u = rng.nextDouble();
                noise[i] = -Math.log(-Math.log(u + 1e-12) + 1e-12);
            }
            soft.addi(Nd4j.create(noise, new long[] {fg, entries}, 'c').castTo(dtype)).divi(temperature);
        }
        INDArray argmax = soft.argMax(1);
        int[] codes = argmax.toIntVector();
        lastCodes = codes;
        if (training) {
            Nd4j.exec(new SoftMax(soft, soft, 1));
        }
        hard.assign(0);
        for (int i = 0; i < codes.length; i++) {
            hard.putScalar(i, codes[i], 1.0);
        }
        // [F, G, V] -> [G, F, V] so each group's selection is one batched GEMM with its codebook [V, d]
        hardT = NdArrays.reuse(hardT, dtype, groups, frames, entries);
        hardT.assign(hard.reshape(frames, groups, entries).permute(1, 0, 2));
        sel = NdArrays.reuse(sel, dtype, groups, frames, varDim);
        Nd4j.matmul(hardT, vars.value().reshape(groups, entries, varDim), sel, false, false, false);
        out = NdArrays.reuse(out, dtype, frames, (long) groups * varDim);
        out.reshape(frames, groups, varDim).assign(sel.permute(1, 0, 2));
        forwardDone(training);
        return out.reshape(outShape);
    }

    /** dLoss/dInput given dLoss/dOutput, with no direct gradient on the logits. */
    @Override
    public INDArray backward(INDArray gradOutput) {
        return backward(gradOutput, null);
    }

    /**
     * Straight-through backward.
     *
     * @param gradOutput dLoss/dq, the output's shape
     * @param logitsGradient an extra dLoss/dlogits {@code [F, G, V]} (the diversity loss's), or null
     * @return dLoss/dInput
     */
    public INDArray backward(INDArray gradOutput, INDArray logitsGradient) {
        checkBackward(WHERE, gradOutput, outShape);
        long fg = frames * groups;
        dSel = NdArrays.reuse(dSel, dtype, groups, frames, varDim);
        dSel.assign(NdArrays.view(gradOutput, frames, groups, varDim).permute(1, 0, 2));
        dVars = NdArrays.reuse(dVars, dtype, groups, entries, varDim);
        Nd4j.matmul(hardT, dSel, dVars, true, false, false);
        vars.gradient().addi(dVars.reshape((long) groups * entries, varDim));
        dHardT = NdArrays.reuse(dHardT, dtype, groups, frames, entries);
        Nd4j.matmul(dSel, vars.value().reshape(groups, entries, varDim), dHardT, false, true, false);
        dLogits = NdArrays.reuse(dLogits, dtype, frames, groups, entries);
        dLogits.permute(1, 0, 2).assign(dHardT);
        // through the soft sample: d(l)/tau with the softmax Jacobian
        INDArray d2 = dLogits.reshape(fg, entries);
        tmp = NdArrays.reuse(tmp, dtype, fg, entries);
        rowSum = NdArrays.reuse(rowSum, dtype, fg, 1);
        tmp.assign(d2).muli(soft);
        tmp.sum(rowSum.reshape(fg), 1);
        d2.subiColumnVector(rowSum).muli(soft).divi(temperature);
        if (logitsGradient != null) {
            Checks.shapeEquals(WHERE + ".backward", "logitsGradient", logitsGradient, frames, groups, entries);
            dLogits.addi(logitsGradient);
        }
        INDArray dx = weightProj.backward(dLogits.reshape(frames, (long) groups * entries));
        return dx.reshape(inShape);
    }

    /** The logits of the last forward (before noise), {@code [F, G, V]}; a reused buffer. */
    public INDArray logits() {
        return logits;
    }

    /** The chosen entry of each frame and group in the last forward, {@code F * G} values, frame-major. */
    public int[] codes() {
        return lastCodes.clone();
    }

    /**
     * Perplexity of the hard code distribution of the last forward, fairseq's {@code code_perplexity}:
     * {@code sum_g exp(-sum_v p_gv log p_gv)} with p the frequency of each entry over frames (G to G V).
     */
    public double codePerplexity() {
        if (lastCodes == null) {
            throw new IllegalStateException(WHERE + ".codePerplexity: no forward yet");
        }
        double total = 0;
        for (int g = 0; g < groups; g++) {
            double[] counts = new double[entries];
            for (long f = 0; f < frames; f++) {
                counts[lastCodes[(int) (f * groups + g)]]++;
            }
            double h = 0;
            for (double c : counts) {
                if (c > 0) {
                    double p = c / frames;
                    h -= p * Math.log(p);
                }
            }
            total += Math.exp(h);
        }
        return total;
    }

    @Override
    public String toString() {
        return "GumbelVectorQuantizer(" + inDim + " -> G=" + groups + " x V=" + entries + " x d=" + varDim + ", " + dtype + ")";
    }
}
