package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.image.ViewSpec;

/**
 * A method's recipe beyond {@link MethodConfig}: its views, optimizer and loss hyperparameters, each
 * defaulting to the value the method's class names and cites ({@link #defaults}). A method reads the
 * fields it uses and ignores the others (SimCLR has no queue); which ones a method uses is said in
 * each field's comment. To change some, pass {@link #defaults}' other fields to the constructor
 * (the pretrain command line does, see its {@code ImageRecipeOptions}).
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
 * @param localCrops SimCLR's and BYOL's multi-crop local crops per image, &gt;= 0 (0: two views)
 * @param localSize the local crops' side in pixels, &gt; 0 when {@code localCrops > 0}; the local crops
 *                  are cut and fed at this side ({@link MultiCrop})
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

    /**
     * Every view's parameters at {@code side}: the recipe's two views, or with local crops
     * {@link MultiCrop}'s (two global at SwAV's area (0.14, 1), then the local ones at (0.05, 0.14)).
     *
     * @param side the global crops' side
     * @return one spec per view, in view order
     */
    public List<ViewSpec> viewSpecs(int side) {
        return localCrops > 0 ? MultiCrop.specs(views.specs(side), localCrops) : views.specs(side);
    }

    /**
     * Every view's side: {@code side} for the two global views, {@link #localSize} for the local ones.
     *
     * @param side the global crops' side
     * @return one side per view, in view order
     */
    public List<Integer> viewSides(int side) {
        List<Integer> sides = new ArrayList<>(List.of(side, side));
        for (int i = 0; i < localCrops; i++) {
            sides.add(localSize);
        }
        return sides;
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("MethodOptions: " + name + " must be finite and > 0, got " + v);
        }
    }

    /**
     * The method's defaults: its paper's views ({@link ViewRecipe#defaultFor}), Adam
     * ({@link OptimizerSpec#defaults}; MAE's AdamW for MAE, {@link Mae#OPTIMIZER}), and the constants
     * of its class: {@link SimClr#TEMPERATURE} or
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
        OptimizerSpec optimizer = m.equals("mae") ? Mae.OPTIMIZER : OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM);
        return new MethodOptions(ViewRecipe.defaultFor(m), optimizer,
                moco ? MocoV2.TEMPERATURE : SimClr.TEMPERATURE, MocoV2.DEFAULT_QUEUE,
                moco ? MocoV2.MOMENTUM_BASE : Byol.TAU_BASE, moco ? MocoV2.MOMENTUM : 1.0, PREDICTOR_LR_SCALE,
                VicReg.LAMBDA, VicReg.MU, VicReg.NU, BarlowTwins.LAMBDA, 0, 0);
    }
}
