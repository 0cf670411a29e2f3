package org.selfsup4j.core.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/** A module that is only its parameters and buffers, for EMA tests. */
final class TinyModule implements Module {
    private final List<Parameter> parameters;
    private final Map<String, INDArray> buffers;

    TinyModule(List<Parameter> parameters, Map<String, INDArray> buffers) {
        this.parameters = parameters;
        this.buffers = buffers;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        throw new UnsupportedOperationException();
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Map<String, INDArray> buffers() {
        return buffers;
    }
}
