package org.selfsup4j.core.samediff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Parameter;

/**
 * An {@link Encoder} over a SameDiff graph with one input placeholder and one output variable.
 *
 * <p>A loss kernel computes {@code G = dLoss/dOutput} outside the graph; {@link #backward} feeds it in
 * through a surrogate loss {@code sum(output * G)} whose gradient with respect to every weight is
 * exactly {@code J^T G}. SameDiff 1.0.0-M2.1 offers no way to start its backward pass from a given
 * output gradient on the activations of an earlier {@code output()} call, so {@code backward} runs the
 * forward part of the graph again: a step costs one extra forward (measured in the benchmarks
 * README). The native blocks of {@link org.selfsup4j.core.nn} do not pay it.
 *
 * <p>Every {@link VariableType#VARIABLE} of the graph is a trainable {@link Parameter} whose value is
 * the graph's own array (optimizers update it in place, the graph sees it); rank-0/1 variables
 * (biases, norm scales and shifts) are marked no-decay.
 */
public final class SameDiffEncoder implements Encoder {
    private static final String GRAD_PLACEHOLDER = "selfsup4j_external_gradient";
    private static final String SURROGATE_LOSS = "selfsup4j_surrogate_loss";

    private final SameDiff sd;
    private final String inputName;
    private final String outputName;
    private final List<Parameter> parameters;
    private final List<String> variableNames;
    private INDArray lastInput;
    private long[] lastOutputShape;

    /**
     * @param sd the graph (it gains a gradient placeholder and a surrogate loss variable)
     * @param input the input placeholder
     * @param output the embedding variable
     */
    public SameDiffEncoder(SameDiff sd, SDVariable input, SDVariable output) {
        this.sd = sd;
        if (!sd.isPlaceHolder(input.name())) {
            throw new IllegalArgumentException("SameDiffEncoder: input '" + input.name() + "' must be a placeholder, is "
                    + input.getVariableType());
        }
        this.inputName = input.name();
        this.outputName = output.name();
        SDVariable grad = sd.placeHolder(GRAD_PLACEHOLDER, output.dataType(), (long[]) null);
        SDVariable surrogate = output.mul(grad).sum().rename(SURROGATE_LOSS);
        sd.setLossVariables(surrogate);
        List<Parameter> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                INDArray arr = v.getArr();
                params.add(new Parameter(v.name(), arr, arr.rank() > 1));
                names.add(v.name());
            }
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("SameDiffEncoder: the graph has no trainable variables");
        }
        this.parameters = List.copyOf(params);
        this.variableNames = List.copyOf(names);
    }

    /** The wrapped graph. */
    public SameDiff sameDiff() {
        return sd;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        INDArray out = sd.output(Map.of(inputName, input), outputName).get(outputName);
        if (training) {
            lastInput = input;
            lastOutputShape = out.shape();
        }
        return out;
    }

    /**
     * Adds {@code J^T gradOutput} into every parameter's gradient. Runs the graph's forward once more
     * (see the class comment). Returns null: the gradient with respect to the input is not computed.
     */
    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.state(lastInput != null, "SameDiffEncoder.backward", "call forward(input, true) first");
        Checks.shapeEquals("SameDiffEncoder.backward", "gradOutput", gradOutput, lastOutputShape);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(inputName, lastInput);
        feed.put(GRAD_PLACEHOLDER, gradOutput);
        Map<String, INDArray> grads = sd.calculateGradients(feed, variableNames);
        for (Parameter p : parameters) {
            INDArray g = grads.get(p.name());
            if (g != null) {
                p.gradient().addi(g);
            }
        }
        return null;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
