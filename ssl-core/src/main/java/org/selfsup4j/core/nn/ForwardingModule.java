package org.selfsup4j.core.nn;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A module that is another module seen differently: it forwards every call to its delegate, and a
 * subclass overrides only the calls it changes (a shape check before the forward, a data-parallel
 * exchange around it, synchronised statistics) while the parameters, buffers and observer stay the
 * delegate's own. Checkpoints therefore name the parameters and buffers exactly as the delegate does.
 */
public abstract class ForwardingModule implements Module {
    private final Module delegate;

    /**
     * @param delegate the module the calls go to
     * @throws NullPointerException if {@code delegate} is null
     */
    protected ForwardingModule(Module delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        return delegate.forward(input, training);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return delegate.backward(gradOutput);
    }

    /** The delegate's parameters, under the delegate's names. */
    @Override
    public final List<Parameter> parameters() {
        return delegate.parameters();
    }

    /** The delegate's buffers, under the delegate's names. */
    @Override
    public final Map<String, INDArray> buffers() {
        return delegate.buffers();
    }

    @Override
    public void observe(ModuleObserver observer) {
        delegate.observe(observer);
    }
}
