package org.selfsup4j.core.optim;

import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Norm2;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Parameter;

/**
 * LARS, layer-wise adaptive rate scaling, as SimCLR and BYOL train with it: SGD with momentum whose
 * step for each weight tensor is scaled by a trust ratio.
 * <pre>
 * for parameters with {@link Parameter#weightDecay()}:
 *     trust = eta * ||w|| / (||g|| + wd * ||w||)   if ||w|| &gt; 0 and ||g|| &gt; 0, else 1
 *     d     = trust * (g + wd * w)
 * for the others (biases, normalization scales and shifts): d = g   (no decay, no adaptation)
 * buf = mu * buf + d
 * w  -= lr * (d + mu * buf)   with Nesterov,   lr * buf   without
 * </pre>
 * Norms are Frobenius norms of the whole tensor. State: {@code "<param>/momentum"} when mu &gt; 0.
 *
 * <p>You, Gitman &amp; Ginsburg, "Large Batch Training of Convolutional Networks", 2017 (Alg. 1);
 * the exclusion of biases and norm parameters follows SimCLR (Chen et al. 2020) and BYOL
 * (Grill et al. 2020). Deviations to know: the trust denominator is the paper's (and solo-learn's)
 * {@code ||g|| + wd ||w||}; SimCLR's and BYOL's code use {@code ||g + wd w||}. The learning rate
 * multiplies the momentum buffer (BYOL, solo-learn, torch.optim.SGD), whereas SimCLR's TF code puts
 * it inside the buffer; the two differ only while the rate changes. solo-learn adds 1e-8 to the
 * denominator; here the zero-norm guard makes that unnecessary.
 */
public final class Lars extends MomentumOptimizer {
    /** The trust coefficient of You et al., SimCLR and BYOL. */
    public static final double DEFAULT_ETA = 0.001;
    /** The momentum of SimCLR and BYOL. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    /** SimCLR's weight decay (BYOL uses 1.5e-6). */
    public static final double DEFAULT_WEIGHT_DECAY = 1e-6;

    private final double eta;
    private final Map<DataType, INDArray[]> norms = new EnumMap<>(DataType.class);

    private Lars(Builder b) {
        super(b);
        this.eta = b.eta;
    }

    /** A builder with SimCLR's defaults and the given learning-rate schedule. */
    public static Builder builder(LearningRateSchedule schedule) {
        return new Builder(schedule);
    }

    @Override
    void update(Parameter p, INDArray[] s, double lr, long step) {
        double wd = 0.0;
        double trust = 1.0;
        if (p.weightDecay()) {
            wd = weightDecay();
            trust = trustRatio(p.value(), p.gradient());
        }
        INDArray scratch = (p.weightDecay() || nesterov()) ? scratch(p) : null;
        MomentumKernel.apply(p.value(), p.gradient(), momentumBuffer(s), scratch, lr, wd, trust, momentum(), nesterov());
    }

    /** eta * ||w|| / (||g|| + wd * ||w||), or 1 where either norm is 0. */
    private double trustRatio(INDArray w, INDArray g) {
        double wNorm = norm(w, 0);
        double gNorm = norm(g, 1);
        if (wNorm > 0 && gNorm > 0) {
            return eta * wNorm / (gNorm + weightDecay() * wNorm);
        }
        return 1.0;
    }

    private double norm(INDArray x, int slot) {
        DataType t = x.dataType();
        if ((t == DataType.FLOAT || t == DataType.DOUBLE) && x.elementWiseStride() == 1 && x.length() <= Integer.MAX_VALUE) {
            // BLAS dot on contiguous data: about 8x faster than libnd4j's norm2 reduction here.
            return Math.sqrt(Nd4j.getBlasWrapper().level1().dot(x.length(), 1.0, x, x));
        }
        INDArray[] out = norms.computeIfAbsent(t, k -> new INDArray[] {Nd4j.scalar(k, 0), Nd4j.scalar(k, 0)});
        Nd4j.exec(new Norm2(x, out[slot]));
        return out[slot].getDouble(0);
    }

    /** The eta this Lars was built with. */
    public double eta() { return eta; }

    /** Settings for {@link Lars}, validated by each setter and {@link #build()}. */
    public static final class Builder extends OptimizerBuilder.WithMomentum<Builder> {
        private double eta = DEFAULT_ETA;

        private Builder(LearningRateSchedule schedule) {
            super("Lars", schedule, DEFAULT_MOMENTUM, DEFAULT_WEIGHT_DECAY);
        }

        @Override
        Builder self() {
            return this;
        }

        /** @param eta trust coefficient, &gt; 0 */
        public Builder eta(double eta) {
            this.eta = Checks.positive("Lars.Builder.eta", "eta", eta);
            return this;
        }

        /** @return a new Lars with these settings */
        public Lars build() {
            checkNesterov();
            return new Lars(this);
        }
    }
}
