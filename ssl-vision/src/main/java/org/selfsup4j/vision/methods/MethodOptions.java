package org.selfsup4j.vision.methods;

/**
 * A method's recipe beyond {@link MethodConfig}: its views, optimizer and loss hyperparameters, each
 * defaulting to the value the method's class names and cites ({@link #defaults}). A method reads the
 * fields it uses and ignores the others (SimCLR has no queue); which ones a method uses is said in
 * each field's comment.
 *
 * @param views the two-view recipe (not used by the autoencoders, whose one view is a flip)
 * @param optimizer the optimizer and its settings
 * @param temperature SimCLR's NT-Xent and MoCo's InfoNCE temperature, &gt; 0
 * @param queueSize MoCo's queue length, &gt; 0
 * @param momentumBase MoCo's and BYOL's EMA momentum at step 0, in [0, 1]
 * @param momentumFinal their momentum at the last step, in [momentumBase, 1] (cosine in between)
 * @param predictorLrScale BYOL's predictor learning rate as a multiple of the base rate, &gt; 0
 * @param vicregSim VICReg's invariance weight, &gt;= 0
 * @param vicregVar VICReg's variance weight, &gt;= 0
 * @param vicregCov VICReg's covariance weight, &gt;= 0
 * @param barlowLambda Barlow Twins' off-diagonal weight, &gt;= 0
 * @param localCrops SimCLR's multi-crop local crops per image, &gt;= 0 (0: two views)
 * @param localSize the local crops' side in pixels, &gt; 0 when {@code localCrops > 0}
 */
public record MethodOptions(ViewRecipe views, OptimizerSpec optimizer, double temperature, int queueSize,
                            double momentumBase, double momentumFinal, double predictorLrScale, double vicregSim,
                            double vicregVar, double vicregCov, double barlowLambda, int localCrops, int localSize) {
    /** BYOL trains its predictor at the base learning rate (Grill et al. 2020). */
    public static final double PREDICTOR_LR_SCALE = 1.0;

    public MethodOptions {
        if (optimizer == null) {
            throw new IllegalArgumentException("MethodOptions: optimizer must not be null");
        }
        positive("temperature", temperature);
        positive("predictorLrScale", predictorLrScale);
        if (queueSize < 1) {
            throw new IllegalArgumentException("MethodOptions: queueSize must be >= 1, got " + queueSize);
        }
        if (!(momentumBase >= 0 && momentumBase <= momentumFinal && momentumFinal <= 1)) {
            throw new IllegalArgumentException("MethodOptions: expected 0 <= momentumBase <= momentumFinal <= 1, got "
                    + momentumBase + " and " + momentumFinal);
        }
        for (double w : new double[] {vicregSim, vicregVar, vicregCov, barlowLambda}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("MethodOptions: loss weights must be finite and >= 0, got "
                        + vicregSim + ", " + vicregVar + ", " + vicregCov + ", " + barlowLambda);
            }
        }
        if (localCrops < 0 || localCrops > 0 && localSize < 1) {
            throw new IllegalArgumentException("MethodOptions: localCrops must be >= 0 and localSize >= 1 with local "
                    + "crops, got " + localCrops + " and " + localSize);
        }
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("MethodOptions: " + name + " must be finite and > 0, got " + v);
        }
    }

    /**
     * The method's defaults: its paper's views ({@link ViewRecipe#defaultFor}), Adam
     * ({@link OptimizerSpec#defaults}), and the constants of its class: {@link SimClr#TEMPERATURE} or
     * {@link MocoV2#TEMPERATURE}, {@link MocoV2#DEFAULT_QUEUE}, {@link MocoV2#MOMENTUM_BASE} -&gt;
     * {@link MocoV2#MOMENTUM} or {@link Byol#TAU_BASE} -&gt; 1, {@link #PREDICTOR_LR_SCALE},
     * {@link VicReg#LAMBDA}/{@link VicReg#MU}/{@link VicReg#NU}, {@link BarlowTwins#LAMBDA}, no local crops.
     *
     * @param method a method name ({@link Methods#NAMES})
     * @return its defaults
     */
    public static MethodOptions defaults(String method) {
        String m = Methods.resolve(method);
        boolean moco = m.equals("moco-v2");
        return new MethodOptions(ViewRecipe.defaultFor(m), OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM),
                moco ? MocoV2.TEMPERATURE : SimClr.TEMPERATURE, MocoV2.DEFAULT_QUEUE,
                moco ? MocoV2.MOMENTUM_BASE : Byol.TAU_BASE, moco ? MocoV2.MOMENTUM : 1.0, PREDICTOR_LR_SCALE,
                VicReg.LAMBDA, VicReg.MU, VicReg.NU, BarlowTwins.LAMBDA, 0, 0);
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some options of a {@link MethodOptions}; {@link #build()} validates the result. */
    public static final class Builder {
        private ViewRecipe views;
        private OptimizerSpec optimizer;
        private double temperature;
        private int queueSize;
        private double momentumBase;
        private double momentumFinal;
        private double predictorLrScale;
        private double vicregSim;
        private double vicregVar;
        private double vicregCov;
        private double barlowLambda;
        private int localCrops;
        private int localSize;

        private Builder(MethodOptions o) {
            views = o.views;
            optimizer = o.optimizer;
            temperature = o.temperature;
            queueSize = o.queueSize;
            momentumBase = o.momentumBase;
            momentumFinal = o.momentumFinal;
            predictorLrScale = o.predictorLrScale;
            vicregSim = o.vicregSim;
            vicregVar = o.vicregVar;
            vicregCov = o.vicregCov;
            barlowLambda = o.barlowLambda;
            localCrops = o.localCrops;
            localSize = o.localSize;
        }

        /** @param v the view recipe @return this builder */
        public Builder views(ViewRecipe v) {
            views = v;
            return this;
        }

        /** @param o the optimizer @return this builder */
        public Builder optimizer(OptimizerSpec o) {
            optimizer = o;
            return this;
        }

        /** @param t the temperature @return this builder */
        public Builder temperature(double t) {
            temperature = t;
            return this;
        }

        /** @param k the queue length @return this builder */
        public Builder queueSize(int k) {
            queueSize = k;
            return this;
        }

        /** @param base momentum at step 0 @param end momentum at the last step @return this builder */
        public Builder momentum(double base, double end) {
            momentumBase = base;
            momentumFinal = end;
            return this;
        }

        /** @param scale the predictor's learning-rate multiple @return this builder */
        public Builder predictorLrScale(double scale) {
            predictorLrScale = scale;
            return this;
        }

        /** @param sim invariance @param var variance @param cov covariance @return this builder */
        public Builder vicreg(double sim, double var, double cov) {
            vicregSim = sim;
            vicregVar = var;
            vicregCov = cov;
            return this;
        }

        /** @param lambda the off-diagonal weight @return this builder */
        public Builder barlowLambda(double lambda) {
            barlowLambda = lambda;
            return this;
        }

        /** @param n local crops per image @param side their side @return this builder */
        public Builder multiCrop(int n, int side) {
            localCrops = n;
            localSize = side;
            return this;
        }

        /** @return the options */
        public MethodOptions build() {
            return new MethodOptions(views, optimizer, temperature, queueSize, momentumBase, momentumFinal,
                    predictorLrScale, vicregSim, vicregVar, vicregCov, barlowLambda, localCrops, localSize);
        }
    }
}
