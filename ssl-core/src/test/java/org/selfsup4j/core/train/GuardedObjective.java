package org.selfsup4j.core.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.optim.EmaCopy;

/**
 * A contrastive objective (MatchingViewsObjective) carrying every kind of objective state the NaN guard must restore, each
 * mutated where the real methods mutate it: a BYOL-like EMA target (its batch norm moves in
 * {@code compute}, its weights in the post-step hook), a MoCo-like queue of keys with a pointer
 * (pushed in the post-step hook) and a decoder whose batch norm runs in training mode in
 * {@code compute} (the reconstruction objective's). The loss is NaN on the chosen steps.
 */
final class GuardedObjective implements Objective {
    static final int QUEUE = 40;
    private final MatchingViewsObjective loss = new MatchingViewsObjective(0.5);
    private final Module target;
    private final EmaCopy ema;
    private final Module decoder;
    private final INDArray queue;
    private final INDArray pointer = Nd4j.zeros(DataType.INT64, 1);
    private final Set<Long> nanLoss;
    private INDArray keys;

    GuardedObjective(Module online, Module target, int dim, Set<Long> nanLoss) {
        this.target = target;
        this.ema = new EmaCopy(online, target);
        SplittableRandom rng = new SplittableRandom(7);
        this.decoder = new Sequential(new Linear(dim, 24, true, DataType.FLOAT, rng), new BatchNorm(24));
        this.queue = Nd4j.rand(DataType.FLOAT, QUEUE, dim);
        this.nanLoss = nanLoss;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ObjectiveOutput out = loss.compute(inputs, embeddings, context);
        keys = target.forward(Nd4j.concat(0, inputs.get(0), inputs.get(1)), true).dup();
        decoder.forward(embeddings.get(0), true);
        if (nanLoss.contains(context.step())) {
            return new ObjectiveOutput(Double.NaN, out.embeddingGradients());
        }
        return out;
    }

    @Override
    public double chanceLoss(long batchSize) {
        return loss.chanceLoss(batchSize);
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        ema.state().forEach((k, v) -> s.put("target/" + k, v));
        decoder.buffers().forEach((k, v) -> s.put("decoder/" + k, v));
        s.put("queue/keys", queue);
        s.put("queue/pointer", pointer);
        return s;
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        ema.update(0.9);
        int p = (int) pointer.getLong(0);
        int rows = (int) Math.min(keys.size(0), QUEUE - p);
        queue.get(NDArrayIndex.interval(p, p + rows), NDArrayIndex.all())
                .assign(keys.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()));
        pointer.putScalar(0, (long) ((p + rows) % QUEUE));
    }
}
