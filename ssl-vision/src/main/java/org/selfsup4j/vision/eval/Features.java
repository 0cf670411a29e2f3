package org.selfsup4j.vision.eval;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Module;

/**
 * Frozen-feature extraction: runs a backbone in evaluation mode (batch norm with running statistics)
 * over normalised images and stacks the outputs.
 */
public final class Features {
    /** Images per forward pass. */
    public static final int DEFAULT_BATCH = 256;

    private Features() {
    }

    /**
     * @param backbone the network, {@code [N, C, H, W] -> [N, D]}
     * @param images the images, all the same shape
     * @param normalize applied to each image first (null for none)
     * @param batch images per forward
     * @return {@code [N, D]} float32 features (a fresh array)
     */
    public static INDArray extract(Module backbone, List<FloatImage> images, Normalize normalize, int batch) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("Features.extract: no images");
        }
        Checks.positive("Features.extract", "batch", batch);
        FloatImage first = images.get(0);
        int per = first.channels() * first.height() * first.width();
        INDArray out = null;
        DataType dtype = backbone.parameters().isEmpty() ? DataType.FLOAT
                : backbone.parameters().get(0).value().dataType();
        for (int start = 0; start < images.size(); start += batch) {
            int end = Math.min(images.size(), start + batch);
            float[] buf = new float[(end - start) * per];
            for (int i = start; i < end; i++) {
                FloatImage img = images.get(i);
                if (img.channels() != first.channels() || img.height() != first.height()
                        || img.width() != first.width()) {
                    throw new IllegalArgumentException("Features.extract: image " + i + " has a different shape from image 0");
                }
                FloatImage x = normalize == null ? img : normalize.apply(img);
                System.arraycopy(x.data(), 0, buf, (i - start) * per, per);
            }
            INDArray in = Nd4j.create(buf, new long[] {end - start, first.channels(), first.height(), first.width()},
                    'c').castTo(dtype);
            INDArray f = backbone.forward(in, false);
            if (out == null) {
                out = Nd4j.create(DataType.FLOAT, images.size(), f.size(1));
            }
            out.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(f.castTo(DataType.FLOAT));
        }
        return out;
    }
}
