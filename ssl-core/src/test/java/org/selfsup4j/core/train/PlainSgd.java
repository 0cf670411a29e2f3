package org.selfsup4j.core.train;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.Optimizer;

/** w -= lr * g with no state: keeps the trainer tests independent of the optimizers under test elsewhere. */
final class PlainSgd implements Optimizer {
    private final double lr;

    PlainSgd(double lr) {
        this.lr = lr;
    }

    @Override
    public void step(List<Parameter> parameters, long step) {
        for (Parameter p : parameters) {
            p.value().subi(p.gradient().mul(lr));
        }
    }

    @Override
    public double learningRate(long step) {
        return lr;
    }

    @Override
    public Map<String, INDArray> state(List<Parameter> parameters) {
        return Map.of();
    }
}
