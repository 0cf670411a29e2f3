package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.MaePixelLoss;
import org.selfsup4j.vision.nn.Patchify;

/**
 * MAE's objective: the decoder ({@link MaeDecoder}) predicts every patch's pixels from the encoder's
 * tokens of the kept patches and the masks of the same forward ({@link MaeEncoder}); the loss is
 * {@link MaePixelLoss} between the predictions and the view's patches ({@link Patchify}), on the
 * removed patches only. Its gradient goes back through the decoder into the encoder's tokens. No
 * state of its own: the mask counter is the encoder's buffer.
 */
final class MaeObjective implements Objective {
    private final MaeEncoder encoder;
    private final MaeDecoder decoder;
    private final Patchify patchify;
    private final MaePixelLoss loss;

    MaeObjective(MaeEncoder encoder, MaeDecoder decoder, int patch, MaePixelLoss loss) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.patchify = new Patchify(patch);
        this.loss = loss;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        if (inputs.size() != 1 || embeddings.size() != 1) {
            throw new IllegalArgumentException("MaeObjective.compute: expected one view, got " + inputs.size());
        }
        INDArray x = inputs.get(0);
        INDArray mask = encoder.masking().mask();
        INDArray pred = decoder.forward(embeddings.get(0), encoder.masking().selection(), mask);
        INDArray target = patchify.forward(x.castTo(pred.dataType()), false);
        LossResult r = loss.compute(pred, target, mask);
        return new ObjectiveOutput(r.value(), List.of(decoder.backward(r.gradient(0))));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        decoder.parameters().forEach(p -> ps.add(p.prefixed("decoder")));
        return ps;
    }
}
