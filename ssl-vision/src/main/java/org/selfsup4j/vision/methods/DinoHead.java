package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.GELU;
import org.selfsup4j.core.nn.Init;
import org.selfsup4j.core.nn.L2Normalize;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.Sequential;

/**
 * DINO's projection head ({@code DINOHead} of facebookresearch/dino {@code vision_transformer.py},
 * with its defaults {@code nlayers=3}, {@code use_bn=False}, {@code norm_last_layer=True}):
 * <pre>
 *   h = Linear(hidden, bottleneck)(GELU(Linear(hidden, hidden)(GELU(Linear(in, hidden)(x)))))
 *   u = h / ||h||                                   (L2-normalized bottleneck)
 *   y = u W^T,  W_k = V_k / ||V_k||                 (weight-normalized last layer, g fixed at 1, no bias)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, in]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, K]}</td></tr>
 *   <tr><td>{@code last.weight_v} V</td><td>{@code [K, bottleneck]}</td></tr>
 * </table>
 *
 * <p>The gradient reaches V through the weight normalization ({@code dV_k = (dW_k - W_k (W_k . dW_k)) / ||V_k||},
 * {@link L2Normalize}'s backward), as {@code torch.nn.utils.weight_norm}'s. Deviation: the MLP's
 * Linears keep PyTorch's default initialisation where the reference draws a truncated normal of
 * std 0.02 (their scale matters little before a normalization).
 */
final class DinoHead implements Module {
    private final Sequential mlp;
    private final L2Normalize bottleneck = new L2Normalize();
    private final L2Normalize weightNorm = new L2Normalize();
    private final Parameter direction;
    private INDArray normalized;
    private INDArray weights;
    private INDArray out;
    private INDArray gradUnit;
    private INDArray gradWeights;

    /**
     * @param in the backbone's feature width
     * @param hidden the MLP's hidden width (DINO: {@link Dino#PAPER_HIDDEN})
     * @param bottleneckDim the bottleneck width (DINO: {@link Dino#BOTTLENECK})
     * @param outDim K, the number of outputs ({@code out_dim})
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights, consumed layer by layer
     */
    DinoHead(int in, int hidden, int bottleneckDim, int outDim, DataType dtype, SplittableRandom rng) {
        Checks.positive("DinoHead", "outDim", outDim);
        this.mlp = new Sequential(new Linear(in, hidden, true, dtype, rng), new GELU(),
                new Linear(hidden, hidden, true, dtype, rng), new GELU(), new Linear(hidden, bottleneckDim, true, dtype, rng));
        this.direction = new Parameter("weight_v", Init.uniformFanIn(rng, bottleneckDim, dtype, outDim, bottleneckDim),
                true);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        normalized = bottleneck.forward(mlp.forward(input, training), training);
        weights = weightNorm.forward(direction.value(), training);
        out = NdArrays.reuse(out, normalized.dataType(), normalized.size(0), weights.size(0));
        return Nd4j.gemm(normalized, weights, out, false, true, 1.0, 0.0);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("DinoHead.backward", normalized != null, gradOutput, out);
        gradWeights = NdArrays.reuse(gradWeights, out.dataType(), weights.size(0), weights.size(1));
        Nd4j.gemm(gradOutput, normalized, gradWeights, true, false, 1.0, 0.0);
        direction.gradient().addi(weightNorm.backward(gradWeights));
        gradUnit = NdArrays.reuse(gradUnit, out.dataType(), normalized.size(0), normalized.size(1));
        Nd4j.gemm(gradOutput, weights, gradUnit, false, false, 1.0, 0.0);
        return mlp.backward(bottleneck.backward(gradUnit));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : mlp.parameters()) {
            ps.add(p.prefixed("mlp"));
        }
        ps.add(direction.prefixed("last"));
        return ps;
    }

    @Override
    public Map<String, INDArray> buffers() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "DinoHead[" + mlp + " -> L2Normalize -> weight-normalized Linear(" + direction.value().size(1) + ", "
                + direction.value().size(0) + ")]";
    }
}
