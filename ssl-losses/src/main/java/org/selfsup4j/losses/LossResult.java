package org.selfsup4j.losses;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The value of a loss and its gradient with respect to each argument of the {@code compute} call
 * that produced it.
 *
 * <p>The gradients are views of buffers owned by the loss instance: they stay valid until the next
 * {@code compute} on the same instance, which overwrites them. Call {@code dup()} on a gradient to
 * keep it past that point. The caller may modify them in place (e.g. scale them): the loss
 * overwrites them entirely on its next call and never reads them back.
 *
 * <p>A loss may compute a gradient lazily, on the first {@link #gradient(int)} call for it (e.g.
 * InfoNCE's gradient with respect to its K negatives, which MoCo never uses); asking for a lazy
 * gradient after the next {@code compute} on the same instance throws {@link IllegalStateException}.
 */
public final class LossResult {
    private final double value;
    private final INDArray[] gradients;
    private final List<Supplier<INDArray>> suppliers;
    private final Map<String, Double> terms;

    /**
     * @param value the scalar loss
     * @param terms named sub-terms of the loss for logging (e.g. VICReg's invariance), possibly empty
     * @param gradients dValue/dArgument, one per argument of {@code compute}, in argument order
     */
    public LossResult(double value, Map<String, Double> terms, INDArray... gradients) {
        this.value = value;
        this.terms = Map.copyOf(Objects.requireNonNull(terms, "terms"));
        this.gradients = gradients.clone();
        this.suppliers = null;
    }

    private LossResult(double value, Map<String, Double> terms, List<Supplier<INDArray>> suppliers) {
        this.value = value;
        this.terms = Map.copyOf(Objects.requireNonNull(terms, "terms"));
        this.suppliers = List.copyOf(suppliers);
        this.gradients = new INDArray[suppliers.size()];
    }

    /**
     * A result whose gradients are computed on first request, each at most once.
     *
     * @param gradients one supplier per argument of {@code compute}, in argument order
     */
    public static LossResult lazy(double value, Map<String, Double> terms, List<Supplier<INDArray>> gradients) {
        return new LossResult(value, terms, gradients);
    }

    /** The scalar loss. */
    public double value() {
        return value;
    }

    /**
     * The gradient of {@link #value()} with respect to the {@code i}-th argument of {@code compute}
     * (0-based), with that argument's shape and data type.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, arity())}
     */
    public INDArray gradient(int i) {
        if (i < 0 || i >= gradients.length) {
            throw new IndexOutOfBoundsException("LossResult.gradient: index must be in [0, " + gradients.length
                    + "), got " + i);
        }
        if (gradients[i] == null) {
            gradients[i] = Objects.requireNonNull(suppliers.get(i).get(), "gradient supplier returned null");
        }
        return gradients[i];
    }

    /** The number of arguments, i.e. of gradients. */
    public int arity() {
        return gradients.length;
    }

    /** Named sub-terms (unweighted unless the name says otherwise); empty for single-term losses. */
    public Map<String, Double> terms() {
        return terms;
    }

    @Override
    public String toString() {
        return "LossResult[value=" + value + ", terms=" + terms + ", arity=" + gradients.length + "]";
    }
}
