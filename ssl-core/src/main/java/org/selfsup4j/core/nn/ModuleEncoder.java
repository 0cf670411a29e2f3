package org.selfsup4j.core.nn;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Adapts any {@link Module} to {@link Encoder}. */
final class ModuleEncoder implements Encoder {
    private final Module module;

    ModuleEncoder(Module module) {
        this.module = module;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) { return module.forward(input, training); }

    @Override
    public INDArray backward(INDArray gradOutput) { return module.backward(gradOutput); }

    @Override
    public List<Parameter> parameters() { return module.parameters(); }

    @Override
    public Map<String, INDArray> buffers() { return module.buffers(); }

    @Override
    public void observe(ModuleObserver observer) { module.observe(observer); }
}
