package org.selfsup4j.core.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.samediff.SameDiffBlocks;
import org.selfsup4j.core.samediff.SameDiffEncoder;

/** A small conv encoder as a SameDiff graph: conv-BN-ReLU, conv-ReLU, global pool, MLP head. */
final class SmallSameDiffConvEncoder {
    private SmallSameDiffConvEncoder() {
    }

    static SameDiffEncoder build(long seed) {
        SameDiff sd = SameDiff.create();
        SameDiffBlocks b = new SameDiffBlocks(sd, DataType.FLOAT, seed);
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 1, TwoViewData.SIZE, TwoViewData.SIZE);
        SDVariable h = b.relu(b.batchNorm("bn1", b.conv2d("conv1", x, 1, 8, 3, 2, 1, false), 8, 4, true));
        h = b.relu(b.conv2d("conv2", h, 8, 16, 3, 1, 1, true));
        h = b.globalAvgPool(h, 4);
        SDVariable z = b.mlpHead("head", h, 16, new int[] {32}, 16);
        return new SameDiffEncoder(sd, x, z);
    }
}
