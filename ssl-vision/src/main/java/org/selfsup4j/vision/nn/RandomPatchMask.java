package org.selfsup4j.vision.nn;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.HostArrays;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Seeds;

/**
 * Masking noise for a denoising autoencoder: in training mode, zeroes a fixed fraction of each
 * image's {@code p x p} patches (all channels); in evaluation mode, the identity. On normalised
 * images zero is the dataset's mean colour.
 *
 * <pre>
 *   training: y[n, c, i, j] = m[n, i / p, j / p] x[n, c, i, j],  m in {0, 1},
 *             exactly round(ratio * P) of the P = ceil(H / p) ceil(W / p) patches of image n have m = 0
 *   backward: dx = m dy
 * </pre>
 *
 * <p>Vincent et al., "Extracting and Composing Robust Features with Denoising Autoencoders", ICML 2008
 * (masking noise: the encoder sees a corrupted input, the decoder reconstructs the clean one); the
 * corruption by patches rather than pixels follows the masked-image-modelling work on convolutional
 * encoders (Pathak et al., "Context Encoders", CVPR 2016; Xie et al., "SimMIM", CVPR 2022), where
 * isolated pixels are filled in from their neighbours without learning anything about the image.
 *
 * <p>The k-th training forward draws its masks from a generator seeded by {@code (seed, k)}, and k is
 * a buffer ({@code "calls"}), so a run resumed from a checkpoint draws the same masks.
 */
public final class RandomPatchMask implements Module {
    private final int patch;
    private final double ratio;
    private final long seed;
    private final INDArray calls = Nd4j.zeros(DataType.DOUBLE, 1);
    private float[] host = new float[0];
    private INDArray mask;
    private INDArray out;
    private INDArray gradIn;
    private boolean masked;
    private boolean forwarded;

    /**
     * @param patch patch side in pixels, &gt;= 1
     * @param ratio fraction of patches zeroed, in [0, 1)
     * @param seed seed of the masks
     */
    public RandomPatchMask(int patch, double ratio, long seed) {
        this.patch = Checks.positive("RandomPatchMask", "patch", patch);
        this.ratio = Checks.unitInterval("RandomPatchMask", "ratio", ratio);
        this.seed = seed;
    }

    /** @return the patch side */
    public int patch() {
        return patch;
    }

    /** @return the fraction of patches zeroed */
    public double ratio() {
        return ratio;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Nchw.input("RandomPatchMask.forward", input);
        masked = training;
        forwarded = true;
        if (!training) {
            return input;
        }
        int n = (int) input.size(0);
        int c = (int) input.size(1);
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        int rows = (h + patch - 1) / patch;
        int cols = (w + patch - 1) / patch;
        int patches = rows * cols;
        int drop = (int) Math.round(ratio * patches);
        long k = (long) calls.getDouble(0);
        calls.putScalar(0, k + 1);
        SplittableRandom rng = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (k + 1));
        int len = n * c * h * w;
        if (host.length != len) {
            host = new float[len];
        }
        float[] m = host;
        boolean[] dropped = new boolean[patches];
        for (int s = 0; s < n; s++) {
            Arrays.fill(dropped, false);
            for (int i : Seeds.sampleWithoutReplacement(patches, drop, rng)) {
                dropped[i] = true;
            }
            int base = s * c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float keep = dropped[(y / patch) * cols + x / patch] ? 0f : 1f;
                    for (int ch = 0; ch < c; ch++) {
                        m[base + (ch * h + y) * w + x] = keep;
                    }
                }
            }
        }
        // The mask, output and gradient arrays are reused from step to step (same shape every step).
        mask = reuse(mask, input);
        writeMask(m, mask);
        out = reuse(out, input);
        return input.mul(mask, out);
    }

    private static INDArray reuse(INDArray cached, INDArray like) {
        return NdArrays.reuse(cached, like.dataType(), like.shape());
    }

    /** Copies the 0/1 values into the (dense, row-major) mask array without a temporary array. */
    private static void writeMask(float[] m, INDArray mask) {
        if (HostArrays.dense(DataType.FLOAT, mask)) {
            HostArrays.floats(mask).put(HostArrays.start(mask), m, 0, m.length);
        } else if (HostArrays.dense(DataType.DOUBLE, mask)) {
            DoubleBuffer d = HostArrays.doubles(mask);
            int d0 = HostArrays.start(mask);
            for (int i = 0; i < m.length; i++) {
                d.put(d0 + i, m[i]);
            }
        } else {
            // not host memory (e.g. a CUDA backend): one temporary array
            mask.assign(Nd4j.create(m, mask.shape(), 'c').castTo(mask.dataType()));
        }
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (!forwarded) {
            throw new IllegalStateException("RandomPatchMask.backward: no forward pass to differentiate");
        }
        if (!masked) {
            return gradOutput;
        }
        Checks.shapeEquals("RandomPatchMask.backward", "gradOutput", gradOutput, mask.shape());
        gradIn = reuse(gradIn, gradOutput);
        return gradOutput.mul(mask, gradIn);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Map<String, INDArray> buffers() {
        return Map.of("calls", calls);
    }

    @Override
    public String toString() {
        return "RandomPatchMask(" + patch + ", " + ratio + ")";
    }
}
