package org.selfsup4j.core.nn.transformer;

import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Module;

/**
 * The sums of residual connections (and of their gradients) into buffers reused across steps, for
 * blocks that normalise after the sum (post-LN) or in front of the branch (pre-LN).
 */
public final class Residuals {
    private Residuals() {
    }

    /**
     * @param cached last step's buffer, or null
     * @param a the first term; its type and shape are the result's
     * @param b the second term, same shape
     * @return {@code a + b} in {@code cached} when it fits, else in a new buffer
     */
    public static INDArray sum(INDArray cached, INDArray a, INDArray b) {
        INDArray out = NdArrays.reuse(cached, a.dataType(), a.shape());
        return out.assign(a).addi(b);
    }

    /**
     * The backward of a post-LN residual block {@code y = norm(x + f(x))}: with {@code s = x + f(x)},
     * {@code dL/dx = dL/ds + f'(x)^T dL/ds}.
     *
     * @param cached last step's buffer for dL/dx, or null
     * @param norm the layer norm applied to the sum
     * @param gradOutput dL/dy
     * @param branchBackward the back-propagation through {@code f}
     * @return dL/dx in {@code cached} when it fits, else in a new buffer
     */
    public static INDArray postNormBackward(INDArray cached, Module norm, INDArray gradOutput,
            UnaryOperator<INDArray> branchBackward) {
        INDArray dSum = norm.backward(gradOutput);
        return sum(cached, dSum, branchBackward.apply(dSum));
    }

    /**
     * The backward of a pre-LN residual block {@code y = x + f(norm(x))}:
     * {@code dL/dx = dL/dy + norm'(x)^T f'^T dL/dy}.
     *
     * @param cached last step's buffer for dL/dx, or null
     * @param norm the layer norm in front of the branch
     * @param gradOutput dL/dy
     * @param branchBackward the back-propagation through {@code f}
     * @return dL/dx in {@code cached} when it fits, else in a new buffer
     */
    public static INDArray preNormBackward(INDArray cached, Module norm, INDArray gradOutput,
            UnaryOperator<INDArray> branchBackward) {
        return sum(cached, gradOutput, norm.backward(branchBackward.apply(gradOutput)));
    }
}
