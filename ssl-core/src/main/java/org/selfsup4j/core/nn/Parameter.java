package org.selfsup4j.core.nn;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable array and the gradient accumulated for it.
 *
 * <p>{@link Module#backward} <em>adds</em> into {@link #gradient()}; the trainer zeroes it before
 * each step. {@link #weightDecay()} is false for biases and normalization scales/shifts, which
 * SimCLR, BYOL and LARS exclude from weight decay and trust-ratio scaling.
 *
 * <p>Both arrays are live: optimizers update {@link #value()} in place, and a checkpoint restores
 * into it with {@code assign}.
 */
public final class Parameter {
    private final String name;
    private final INDArray value;
    private final INDArray gradient;
    private final boolean weightDecay;

    /**
     * @param name unique within its network, e.g. {@code "layer1.0.conv1.weight"}
     * @param value the array, updated in place
     * @param weightDecay whether weight decay (and LARS adaptation) applies
     */
    public Parameter(String name, INDArray value, boolean weightDecay) {
        this(name, value, value.ulike(), weightDecay);
        gradient.assign(0);
    }

    private Parameter(String name, INDArray value, INDArray gradient, boolean weightDecay) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.gradient = Objects.requireNonNull(gradient, "gradient");
        this.weightDecay = weightDecay;
    }

    /** A parameter whose gradient is not a fresh array but the given one (e.g. a view into a flat buffer). */
    public static Parameter withGradient(String name, INDArray value, INDArray gradient, boolean weightDecay) {
        if (!java.util.Arrays.equals(value.shape(), gradient.shape())) {
            throw new IllegalArgumentException("Parameter " + name + ": gradient shape "
                    + java.util.Arrays.toString(gradient.shape()) + " differs from value shape "
                    + java.util.Arrays.toString(value.shape()));
        }
        return new Parameter(name, value, gradient, weightDecay);
    }

    /** The same arrays under {@code prefix + "." + name}, as containers name their children. */
    public Parameter prefixed(String prefix) {
        return new Parameter(prefix + "." + name, value, gradient, weightDecay);
    }

    /** {@code [weight]} or {@code [weight, bias]}: the parameter list of a layer whose bias is optional. */
    static List<Parameter> weightAndBias(Parameter weight, Parameter bias) {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    public String name() { return name; }

    public INDArray value() { return value; }

    public INDArray gradient() { return gradient; }

    public boolean weightDecay() { return weightDecay; }

    /** Sets the accumulated gradient to zero. */
    public void zeroGradient() { gradient.assign(0); }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + java.util.Arrays.toString(value.shape()) + " " + value.dataType()
                + (weightDecay ? "" : " no-decay") + "]";
    }
}
