package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.image.ViewSpec;
import org.selfsup4j.losses.DinoTeacherTemperature;

/**
 * A method's recipe beyond {@link MethodConfig}: its views, optimizer and loss hyperparameters, each
 * defaulting to the value the method's class names and cites ({@link #defaults}). A method reads the
 * fields it uses and ignores the others (SimCLR has no queue); which ones a method uses is said in
 * each field's comment. To change some, pass {@link #defaults}' other fields to the constructor
 * (the pretrain command line does, see its {@code ImageRecipeOptions}).
 *
 * @param views the two-view recipe (not used by the autoencoders, whose one view is a flip)
 * @param optimizer the optimizer and its settings
 * @param temperature SimCLR's NT-Xent, MoCo's InfoNCE, MoCo v3's and SwAV's softmax temperature, DINO's
 *                    student temperature, &gt; 0
 * @param queueSize MoCo's queue length (&gt; 0, checked by its queue) and SwAV's feature queue per
 *                  assignment crop (0: no queue, the reference's {@code queue_length} default), &gt;= 0
 * @param momentumBase MoCo's, BYOL's and MoCo v3's EMA momentum and DINO's teacher momentum at step 0, in [0, 1]
 * @param momentumFinal their momentum at the last step, in [momentumBase, 1] (cosine in between)
 * @param predictorLrScale BYOL's predictor learning rate as a multiple of the base rate, &gt; 0
 * @param vicregSim VICReg's invariance weight, &gt;= 0
 * @param vicregVar VICReg's variance weight, &gt;= 0
 * @param vicregCov VICReg's covariance weight, &gt;= 0
 * @param barlowLambda Barlow Twins' off-diagonal weight, &gt;= 0
 * @param localCrops SimCLR's, BYOL's, DINO's and SwAV's multi-crop local crops per image, &gt;= 0 (0: two views)
 * @param localSize the local crops' side in pixels, &gt;= 0; 0: {@link MultiCrop#LOCAL_SIDE_FRACTION} of the
 *                  image side; the local crops are cut and fed at this side ({@link MultiCrop})
 * @param cropScales the multi-crop area ranges (SwAV's, or DINO's for DINO)
 * @param teacherTemperatureStart DINO's teacher temperature at epoch 0, &gt; 0
 * @param teacherTemperatureEnd DINO's teacher temperature after the warm-up, &gt; 0
 * @param teacherWarmupEpochs DINO's teacher-temperature warm-up in epochs, &gt;= 0
 * @param prototypes SwAV's prototypes and DINO's output dimension K, &gt; 0
 */
public record MethodOptions(ViewRecipe views, OptimizerSpec optimizer, double temperature, int queueSize,
                            double momentumBase, double momentumFinal, double predictorLrScale, double vicregSim,
                            double vicregVar, double vicregCov, double barlowLambda, int localCrops, int localSize,
                            CropScales cropScales, double teacherTemperatureStart, double teacherTemperatureEnd,
                            int teacherWarmupEpochs, int prototypes) {
    /** BYOL trains its predictor at the base learning rate (Grill et al. 2020). */
    public static final double PREDICTOR_LR_SCALE = 1.0;

    public MethodOptions {
        if (optimizer == null) {
            throw new IllegalArgumentException("MethodOptions: optimizer must not be null");
        }
        positive("temperature", temperature);
        positive("predictorLrScale", predictorLrScale);
        if (queueSize < 0) {
            throw new IllegalArgumentException("MethodOptions: queueSize must be >= 0, got " + queueSize);
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
        if (localCrops < 0 || localSize < 0) {
            throw new IllegalArgumentException("MethodOptions: localCrops and localSize must be >= 0, got " + localCrops
                    + " and " + localSize);
        }
        if (cropScales == null) {
            throw new IllegalArgumentException("MethodOptions: cropScales must not be null");
        }
        positive("teacherTemperatureStart", teacherTemperatureStart);
        positive("teacherTemperatureEnd", teacherTemperatureEnd);
        if (teacherWarmupEpochs < 0 || prototypes < 1) {
            throw new IllegalArgumentException("MethodOptions: expected teacherWarmupEpochs >= 0 and prototypes >= 1, got "
                    + teacherWarmupEpochs + " and " + prototypes);
        }
    }

    /**
     * The local crops' side for global crops of side {@code side}: {@link #localSize}, or when 0
     * {@link MultiCrop#LOCAL_SIDE_FRACTION} of {@code side} (at least 1).
     *
     * @param side the global crops' side
     * @return the local side
     */
    public int localSide(int side) {
        return localSize > 0 ? localSize : Math.max(1, (int) Math.round(side * MultiCrop.LOCAL_SIDE_FRACTION));
    }

    /**
     * Every view's parameters at {@code side}: the recipe's two views, or with local crops
     * {@link MultiCrop}'s (two global at {@link #cropScales}' global area, then the local ones at its local area).
     *
     * @param side the global crops' side
     * @return one spec per view, in view order
     */
    public List<ViewSpec> viewSpecs(int side) {
        return localCrops > 0 ? MultiCrop.specs(views.specs(side), localCrops, cropScales) : views.specs(side);
    }

    /**
     * Every view's side: {@code side} for the two global views, {@link #localSide} for the local ones.
     *
     * @param side the global crops' side
     * @return one side per view, in view order
     */
    public List<Integer> viewSides(int side) {
        List<Integer> sides = new ArrayList<>(List.of(side, side));
        for (int i = 0; i < localCrops; i++) {
            sides.add(localSide(side));
        }
        return sides;
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("MethodOptions: " + name + " must be finite and > 0, got " + v);
        }
    }

    /**
     * The method's defaults: its paper's views ({@link ViewRecipe#defaultFor}), optimizer (Adam,
     * {@link OptimizerSpec#defaults}, for the methods of the first release; SGD for SimSiam, LARS for
     * MoCo v3 and SwAV, AdamW with {@link Dino#WEIGHT_DECAY} for DINO, MAE's AdamW {@link Mae#OPTIMIZER}, as their papers) and the
     * constants of its class: {@link SimClr#TEMPERATURE}, {@link MocoV2#TEMPERATURE},
     * {@link MocoV3#TEMPERATURE}, {@link Dino#STUDENT_TEMPERATURE} or {@link Swav#TEMPERATURE};
     * {@link MocoV2#DEFAULT_QUEUE} or {@link Swav#DEFAULT_QUEUE}; the EMA schedule {@link MocoV2#MOMENTUM_BASE}
     * -&gt; {@link MocoV2#MOMENTUM}, {@link Byol#TAU_BASE} -&gt; 1, {@link MocoV3#MOMENTUM_BASE} -&gt; 1 or
     * {@link Dino#MOMENTUM_BASE} -&gt; 1; {@link #PREDICTOR_LR_SCALE}; {@link VicReg#LAMBDA}/{@link VicReg#MU}/
     * {@link VicReg#NU}, {@link BarlowTwins#LAMBDA}; local crops {@link Dino#LOCAL_CROPS} (DINO's scales)
     * or {@link Swav#LOCAL_CROPS} (SwAV's), none for the others; DINO's teacher temperatures and
     * {@link Dino#DEFAULT_PROTOTYPES} or {@link Swav#DEFAULT_PROTOTYPES}.
     *
     * @param method a method name ({@link Methods#NAMES})
     * @return its defaults
     */
    public static MethodOptions defaults(String method) {
        String m = Methods.resolve(method);
        OptimizerSpec optimizer = switch (m) {
            case "simsiam" -> OptimizerSpec.defaults(OptimizerSpec.Kind.SGD);
            case "moco-v3", "swav" -> OptimizerSpec.defaults(OptimizerSpec.Kind.LARS);
            case "dino" -> OptimizerSpec.defaults(OptimizerSpec.Kind.ADAMW).withWeightDecay(Dino.WEIGHT_DECAY);
            case "mae" -> Mae.OPTIMIZER;
            default -> OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM);
        };
        double temperature = switch (m) {
            case "moco-v2" -> MocoV2.TEMPERATURE;
            case "moco-v3" -> MocoV3.TEMPERATURE;
            case "dino" -> Dino.STUDENT_TEMPERATURE;
            case "swav" -> Swav.TEMPERATURE;
            default -> SimClr.TEMPERATURE;
        };
        double[] momentum = switch (m) {
            case "moco-v2" -> new double[] {MocoV2.MOMENTUM_BASE, MocoV2.MOMENTUM};
            case "moco-v3" -> new double[] {MocoV3.MOMENTUM_BASE, 1.0};
            case "dino" -> new double[] {Dino.MOMENTUM_BASE, 1.0};
            default -> new double[] {Byol.TAU_BASE, 1.0};
        };
        int localCrops = m.equals("dino") ? Dino.LOCAL_CROPS : m.equals("swav") ? Swav.LOCAL_CROPS : 0;
        return new MethodOptions(ViewRecipe.defaultFor(m), optimizer, temperature,
                m.equals("swav") ? Swav.DEFAULT_QUEUE : MocoV2.DEFAULT_QUEUE, momentum[0], momentum[1],
                PREDICTOR_LR_SCALE, VicReg.LAMBDA, VicReg.MU, VicReg.NU, BarlowTwins.LAMBDA, localCrops, 0,
                m.equals("dino") ? CropScales.DINO : CropScales.SWAV, DinoTeacherTemperature.DEFAULT_WARMUP_START,
                DinoTeacherTemperature.DEFAULT_END, DinoTeacherTemperature.DEFAULT_WARMUP_EPOCHS,
                m.equals("dino") ? Dino.DEFAULT_PROTOTYPES : Swav.DEFAULT_PROTOTYPES);
    }

    /**
     * The base learning rate of {@code method} trained with {@code kind} at {@code batch} images per
     * step: SimSiam's SGD rate {@link SimSiam#LR_PER_256}, DINO's AdamW rate {@link Dino#LR_PER_256} and
     * MAE's AdamW rate {@link Mae#LR_PER_256},
     * each times {@code batch / 256} as their papers scale them; otherwise
     * {@link OptimizerSpec#defaultLearningRate}.
     *
     * @param method a method name ({@link Methods#NAMES})
     * @param kind the optimizer
     * @param batch images per step, &gt; 0
     * @return the base learning rate
     */
    public static double defaultLearningRate(String method, OptimizerSpec.Kind kind, int batch) {
        String m = Methods.resolve(method);
        if (m.equals("simsiam") && kind == OptimizerSpec.Kind.SGD) {
            return SimSiam.LR_PER_256 * batch / 256.0;
        }
        if (m.equals("dino") && kind == OptimizerSpec.Kind.ADAMW) {
            return Dino.LR_PER_256 * batch / 256.0;
        }
        if (m.equals("mae") && kind == OptimizerSpec.Kind.ADAMW) {
            return Mae.learningRate(batch);
        }
        return OptimizerSpec.defaultLearningRate(kind, batch);
    }
}
