package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.vision.encoders.VisionTransformer;
import org.selfsup4j.vision.nn.RandomPatchSelection;

/**
 * What MAE's trainer runs: every forward draws new masks ({@link RandomPatchSelection}) and returns
 * the ViT's tokens for the class token and the kept patches only, {@code [N, 1 + K, D]}. Parameters
 * are the ViT's under {@code backbone.}, the draw counter is the buffer {@code mask.calls}, so the
 * exporters find the backbone where they find the other methods' and a resumed run draws the same masks.
 */
final class MaeEncoder implements Module {
    private final VisionTransformer vit;
    private final RandomPatchSelection masking;
    private final List<Parameter> parameters;

    MaeEncoder(VisionTransformer vit, RandomPatchSelection masking) {
        this.vit = vit;
        this.masking = masking;
        List<Parameter> ps = new ArrayList<>();
        vit.parameters().forEach(p -> ps.add(p.prefixed("backbone")));
        this.parameters = List.copyOf(ps);
    }

    /** @return the masks of the last forward */
    RandomPatchSelection masking() {
        return masking;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        masking.draw((int) input.size(0), input.dataType());
        return vit.encode(input, masking.selection(), training);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return vit.backwardTokens(gradOutput);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Map<String, INDArray> buffers() {
        return Map.of("mask.calls", masking.buffers().get("calls"));
    }

    @Override
    public String toString() {
        return "MaeEncoder(" + vit + ", " + masking + ")";
    }
}
