package org.selfsup4j.vision.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.ParameterFreeModule;

/**
 * Cuts images into non-overlapping {@code p x p} patches, one row of {@code C p p} values per patch,
 * patches in raster order (row of patches, then column), each patch flattened as {@code (c, i, j)}:
 * the order of a {@code p x p} stride-{@code p} convolution's weight {@code [D, C, p, p]}, so a Linear
 * on these rows is that convolution (ViT's patch embedding), and the rows are MAE's per-patch targets.
 *
 * <pre>
 *   y[n, r W/p + s, (c p + i) p + j] = x[n, c, r p + i, s p + j]       backward: the inverse permutation
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, C, H, W]}, H and W multiples of p</td></tr>
 *   <tr><td>output</td><td>{@code [N, (H/p)(W/p), C p p]}</td></tr>
 * </table>
 * No parameters; the output and input-gradient buffers are reused per shape.
 */
public final class Patchify extends ParameterFreeModule {
    private static final String WHERE = "Patchify";
    private final int patch;
    private long[] inputShape;
    private INDArray out;
    private INDArray gradIn;

    /** @param patch the patch side p, &gt;= 1 */
    public Patchify(int patch) {
        this.patch = Checks.positive(WHERE, "patch", patch);
    }

    /** @return the patch side */
    public int patch() {
        return patch;
    }

    /**
     * @param input {@code [N, C, H, W]}
     * @param training unused (the function has no mode)
     * @return {@code [N, L, C p p]}, a reused buffer
     */
    @Override
    public INDArray forward(INDArray input, boolean training) {
        Nchw.input(WHERE + ".forward", input);
        long n = input.size(0);
        long c = input.size(1);
        long rows = Checks.divisible(WHERE + ".forward", "H", (int) input.size(2), "patch", patch) / patch;
        long cols = Checks.divisible(WHERE + ".forward", "W", (int) input.size(3), "patch", patch) / patch;
        inputShape = input.shape();
        out = NdArrays.reuse(out, input.dataType(), n, rows * cols, c * patch * patch);
        out.reshape(n, rows, cols, c, patch, patch)
                .assign(NdArrays.view(input, n, c, rows, patch, cols, patch).permute(0, 2, 4, 1, 3, 5));
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.state(inputShape != null, WHERE + ".backward", "backward called before forward");
        long n = inputShape[0];
        long c = inputShape[1];
        long rows = inputShape[2] / patch;
        long cols = inputShape[3] / patch;
        Checks.shapeEquals(WHERE + ".backward", "gradOutput", gradOutput, n, rows * cols, c * patch * patch);
        gradIn = NdArrays.reuse(gradIn, gradOutput.dataType(), inputShape);
        gradIn.reshape(n, c, rows, patch, cols, patch)
                .assign(NdArrays.view(gradOutput, n, rows, cols, c, patch, patch).permute(0, 3, 1, 4, 2, 5));
        return gradIn;
    }

    @Override
    public String toString() {
        return "Patchify(" + patch + ")";
    }
}
