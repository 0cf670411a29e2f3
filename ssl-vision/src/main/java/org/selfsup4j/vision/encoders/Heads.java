package org.selfsup4j.vision.encoders;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.NormFactory;

/**
 * Projection heads and predictors of the image methods, built on core's generic {@link Mlp}. The
 * papers' widths are named here, with the methods, not in core.
 *
 * <ul>
 *   <li>SimCLR head: {@code Linear -> BN -> ReLU -> Linear} (2 layers) or with one more hidden
 *       layer (3 layers, SimCLR v2); hidden Linears without bias (BN follows).</li>
 *   <li>BYOL projector: {@code Linear -> BN -> ReLU -> Linear}, hidden Linear with bias.</li>
 *   <li>BYOL / SimSiam predictor: {@code Linear -> BN -> ReLU -> Linear}, output width = input width.</li>
 *   <li>VICReg / Barlow Twins expander: 3 layers with BN, widths {@code in -> d -> d -> d}.</li>
 * </ul>
 */
public final class Heads {
    /** SimCLR (Chen et al., 2020): hidden width of the projection head for ResNet-50 (2048). */
    public static final int SIMCLR_HIDDEN = 2048;
    /** SimCLR: output dimension of the projection head. */
    public static final int SIMCLR_OUT = 128;
    /** BYOL (Grill et al., 2020): hidden width of projector and predictor. */
    public static final int BYOL_HIDDEN = 4096;
    /** BYOL: projection dimension. */
    public static final int BYOL_OUT = 256;

    private Heads() {
    }

    /**
     * SimCLR's projection head with batch norm (as in SimCLR v2 and lightly; the v1 paper's head has
     * no batch norm: use {@link Mlp}'s constructor with {@code hiddenBatchNorm = false} for it).
     *
     * @param in backbone width
     * @param hidden hidden width (paper: {@link #SIMCLR_HIDDEN})
     * @param out output width (paper: {@link #SIMCLR_OUT})
     * @param layers 2 (SimCLR) or 3 (SimCLR v2)
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the head
     */
    public static Mlp simclrProjection(int in, int hidden, int out, int layers, DataType dtype, SplittableRandom rng) {
        return simclrProjection(in, hidden, out, layers, dtype, rng, NormFactory.BATCH_NORM);
    }

    /**
     * As {@link #simclrProjection(int, int, int, int, DataType, SplittableRandom)}, with the batch norms
     * built by {@code norm}.
     *
     * @param norm the normalisation ({@link NormFactory#BATCH_NORM}: the library's)
     * @return the head
     */
    public static Mlp simclrProjection(int in, int hidden, int out, int layers, DataType dtype, SplittableRandom rng,
            NormFactory norm) {
        if (layers == 2) {
            return new Mlp(new int[] {in, hidden, out}, true, false, false, dtype, rng, norm);
        }
        if (layers == 3) {
            return new Mlp(new int[] {in, hidden, hidden, out}, true, false, false, dtype, rng, norm);
        }
        throw new IllegalArgumentException("Heads.simclrProjection: layers must be 2 or 3, got " + layers);
    }

    /**
     * SimCLR's 2-layer projection head with the paper's widths, hidden {@link #SIMCLR_HIDDEN} and
     * output {@link #SIMCLR_OUT}.
     *
     * @param in backbone width
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the head
     */
    public static Mlp simclrProjection(int in, DataType dtype, SplittableRandom rng) {
        return simclrProjection(in, SIMCLR_HIDDEN, SIMCLR_OUT, 2, dtype, rng);
    }

    /**
     * BYOL's projector: {@code Linear(in, hidden) -> BN -> ReLU -> Linear(hidden, out)}.
     *
     * @param in backbone width
     * @param hidden hidden width (paper: {@link #BYOL_HIDDEN})
     * @param out projection width (paper: {@link #BYOL_OUT})
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the projector
     */
    public static Mlp byolProjector(int in, int hidden, int out, DataType dtype, SplittableRandom rng) {
        return new Mlp(new int[] {in, hidden, out}, true, true, false, dtype, rng);
    }

    /**
     * BYOL / SimSiam predictor: {@code Linear(dim, hidden) -> BN -> ReLU -> Linear(hidden, dim)}.
     *
     * @param dim projection width (input and output)
     * @param hidden hidden width (BYOL: {@link #BYOL_HIDDEN})
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     * @return the predictor
     */
    public static Mlp predictor(int dim, int hidden, DataType dtype, SplittableRandom rng) {
        return new Mlp(new int[] {dim, hidden, dim}, true, true, false, dtype, rng);
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
        return expander(in, dim, dtype, rng, NormFactory.BATCH_NORM);
    }

    /**
     * As {@link #expander(int, int, DataType, SplittableRandom)}, with the batch norms built by {@code norm}.
     *
     * @param norm the normalisation ({@link NormFactory#BATCH_NORM}: the library's)
     * @return the expander
     */
    public static Mlp expander(int in, int dim, DataType dtype, SplittableRandom rng, NormFactory norm) {
        return new Mlp(new int[] {in, dim, dim, dim}, true, false, false, dtype, rng, norm);
    }
}
