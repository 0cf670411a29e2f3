package org.selfsup4j.speech.model.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Conv1d;
import org.selfsup4j.core.nn.GELU;
import org.selfsup4j.core.nn.Init;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.transformer.NamedParameters;
import org.selfsup4j.core.nn.transformer.ParameterizedLayer;

/**
 * The convolutional relative positional embedding of wav2vec 2.0: a grouped 1-D convolution over
 * time with "same" padding, followed by GELU. The caller adds it to its input ({@code x + pos(x)}).
 *
 * <pre>
 *   y = GELU( SamePad( GroupedConv1d_{K, G}(x) ) )      (padding K/2 on each side; for even K the last frame is dropped)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [N, T, D]}</td></tr>
 *   <tr><td>{@code g<i>.weight} (one convolution per group)</td><td>{@code [D/G, D/G, K]}</td></tr>
 *   <tr><td>{@code g<i>.bias}</td><td>{@code [D/G]}</td></tr>
 * </table>
 *
 * <p>wav2vec 2.0 base: K = 128, G = 16 ({@link #DEFAULT_KERNEL}, {@link #DEFAULT_GROUPS}). Deviation: fairseq
 * wraps the convolution in weight normalisation ({@code dim=2}) and initialises it with
 * {@code N(0, sqrt(4 / (K D)))}; here the weight is plain, with that same normal initialisation, bias 0.
 * The grouped convolution runs as G separate {@link Conv1d}.
 */
public final class ConvPositionalEmbedding extends ParameterizedLayer {
    /** Kernel width of wav2vec 2.0 base. */
    public static final int DEFAULT_KERNEL = 128;
    /** Convolution groups of wav2vec 2.0 base. */
    public static final int DEFAULT_GROUPS = 16;

    private static final String WHERE = "ConvPositionalEmbedding";
    private final int dim;
    private final int kernel;
    private final int groups;
    private final int groupDim;
    private final DataType dtype;
    private final Conv1d[] convs;
    private final GELU gelu = new GELU();
    private long n;
    private long t;
    private INDArray[] groupIn;
    private INDArray pre;
    private INDArray[] groupGrad;
    private INDArray dX;

    /**
     * @param dim channels D
     * @param kernel kernel width K (&gt;= 1)
     * @param groups groups G, dividing D
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights, group by group
     */
    public ConvPositionalEmbedding(int dim, int kernel, int groups, DataType dtype, SplittableRandom rng) {
        Checks.positive(WHERE, "kernel", kernel);
        this.groupDim = Checks.parts(WHERE, "dim", dim, "groups", groups);
        Checks.floatType(WHERE, dtype);
        this.dim = dim;
        this.kernel = kernel;
        this.groups = groups;
        this.dtype = dtype;
        this.convs = new Conv1d[groups];
        double std = Math.sqrt(4.0 / ((double) kernel * dim));
        NamedParameters ps = new NamedParameters();
        for (int g = 0; g < groups; g++) {
            convs[g] = new Conv1d(groupDim, groupDim, kernel, 1, kernel / 2, true, dtype, rng);
            List<Parameter> cp = convs[g].parameters();
            cp.get(0).value().assign(Init.normal(rng, std, dtype, cp.get(0).value().shape()));
            cp.get(1).value().assign(0);
            ps.add("g" + g, cp);
        }
        setParameters(ps.build());
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        checkSequence(WHERE, input, dim, dtype);
        n = input.size(0);
        t = input.size(1);
        if (groupIn == null || groupIn[0].size(0) != n || groupIn[0].size(2) != t || groupIn[0].dataType() != dtype) {
            groupIn = new INDArray[groups];
            groupGrad = new INDArray[groups];
            long tOut = t + 2L * (kernel / 2) - kernel + 1;
            for (int g = 0; g < groups; g++) {
                groupIn[g] = org.nd4j.linalg.factory.Nd4j.create(dtype, n, groupDim, t);
                groupGrad[g] = org.nd4j.linalg.factory.Nd4j.create(dtype, n, groupDim, tOut);
            }
        }
        pre = NdArrays.reuse(pre, dtype, n, t, dim);
        INDArray inT = input.permute(0, 2, 1);
        INDArray preT = pre.permute(0, 2, 1);
        INDArrayIndex frames = NDArrayIndex.interval(0, t);
        for (int g = 0; g < groups; g++) {
            INDArrayIndex ch = NDArrayIndex.interval((long) g * groupDim, (long) (g + 1) * groupDim);
            groupIn[g].assign(inT.get(NDArrayIndex.all(), ch, NDArrayIndex.all()));
            INDArray y = convs[g].forward(groupIn[g], training);
            preT.get(NDArrayIndex.all(), ch, NDArrayIndex.all()).assign(y.get(NDArrayIndex.all(), NDArrayIndex.all(), frames));
        }
        forwardDone(training);
        return gelu.forward(pre, training);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkBackward(WHERE, gradOutput, n, t, dim);
        INDArray dPre = gelu.backward(gradOutput);
        INDArray dPreT = dPre.permute(0, 2, 1);
        dX = NdArrays.reuse(dX, dtype, n, t, dim);
        INDArray dXT = dX.permute(0, 2, 1);
        INDArrayIndex frames = NDArrayIndex.interval(0, t);
        for (int g = 0; g < groups; g++) {
            INDArrayIndex ch = NDArrayIndex.interval((long) g * groupDim, (long) (g + 1) * groupDim);
            // the frame SamePad dropped gets no gradient
            groupGrad[g].assign(0);
            groupGrad[g].get(NDArrayIndex.all(), NDArrayIndex.all(), frames)
                    .assign(dPreT.get(NDArrayIndex.all(), ch, NDArrayIndex.all()));
            INDArray dIn = convs[g].backward(groupGrad[g]);
            dXT.get(NDArrayIndex.all(), ch, NDArrayIndex.all()).assign(dIn);
        }
        return dX;
    }

    @Override
    public String toString() {
        return "ConvPositionalEmbedding(" + dim + ", kernel=" + kernel + ", groups=" + groups + ", " + dtype + ")";
    }
}
