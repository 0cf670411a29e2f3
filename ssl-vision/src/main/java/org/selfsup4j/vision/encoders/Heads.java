package org.selfsup4j.vision.encoders;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Mlp;

/**
 * Projection heads and predictors, built on {@link Mlp}.
 *
 * <ul>
 *   <li>SimCLR head: {@code Linear -> BN -> ReLU -> Linear} (2 layers) or with one more hidden
 *       layer (3 layers, SimCLR v2); hidden Linears without bias (BN follows).</li>
 *   <li>BYOL / SimSiam predictor: {@code Linear -> BN -> ReLU -> Linear}, output width = input width.</li>
 *   <li>VICReg / Barlow Twins expander: 3 layers with BN, widths {@code in -> d -> d -> d}.</li>
 * </ul>
 */
public final class Heads {
    private Heads() {
    }

    /**
     * SimCLR's projection head.
     *
     * @param in backbone width
     * @param hidden hidden width (paper: {@link Mlp#SIMCLR_HIDDEN})
     * @param out output width (paper: {@link Mlp#SIMCLR_OUT})
     * @param layers 2 (SimCLR) or 3 (SimCLR v2)
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the head
     */
    public static Mlp simclrProjection(int in, int hidden, int out, int layers, DataType dtype, SplittableRandom rng) {
        if (layers == 2) {
            return Mlp.simclrHead(in, hidden, out, dtype, rng);
        }
        if (layers == 3) {
            return new Mlp(new int[] {in, hidden, hidden, out}, true, false, false, dtype, rng);
        }
        throw new IllegalArgumentException("Heads.simclrProjection: layers must be 2 or 3, got " + layers);
    }

    /**
     * BYOL / SimSiam predictor.
     *
     * @param dim projection width (input and output)
     * @param hidden hidden width (BYOL: {@link Mlp#BYOL_HIDDEN})
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the predictor
     */
    public static Mlp predictor(int dim, int hidden, DataType dtype, SplittableRandom rng) {
        return Mlp.byolPredictor(dim, hidden, dtype, rng);
    }

    /**
     * VICReg / Barlow Twins expander, 3 layers with BN and ReLU between (papers: 8192 wide).
     *
     * @param in backbone width
     * @param dim hidden and output width
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the expander
     */
    public static Mlp expander(int in, int dim, DataType dtype, SplittableRandom rng) {
        return new Mlp(new int[] {in, dim, dim, dim}, true, false, false, dtype, rng);
    }
}
