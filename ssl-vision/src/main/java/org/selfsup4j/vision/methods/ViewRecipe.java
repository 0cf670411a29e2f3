package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.ViewSpec;

/**
 * The two-view augmentation recipes of the papers, sized to the run's images. Each method's default
 * is its paper's ({@link #defaultFor}); any recipe can be used with any two-view method.
 *
 * <p>Image-size-aware: on images of at most {@link #SMALL_SIDE} pixels (CIFAR, MNIST, the generated
 * set) the recipes drop the Gaussian blur, as SimCLR's CIFAR-10 recipe does (Chen et al. 2020,
 * appendix B.9: "we do not use Gaussian blur") and as solo-learn's CIFAR configurations of every
 * method here do ({@code gaussian_prob: 0.0}); on larger images the blur is the paper's, with a kernel
 * of 10% of the side ({@link org.selfsup4j.augment.image.GaussianBlur#kernelSizeFor}). SimCLR's colour
 * strength follows the same split: s = 0.5 on CIFAR-sized images, 1.0 above. On 1-channel images
 * (MNIST) saturation, hue and grayscale change nothing (see {@code ImageOps}); brightness and
 * contrast still apply.
 */
public enum ViewRecipe {
    /**
     * SimCLR (Chen et al. 2020, appendix A): crop (0.08, 1), flip, jitter of strength s with p = 0.8,
     * grayscale p = 0.2, blur p = 0.5 above {@link #SMALL_SIDE}; s = 0.5 and no blur up to it.
     */
    SIMCLR("simclr"),
    /**
     * MoCo v2 (Chen et al. 2020, "Improved Baselines...", {@code aug_plus} of its code): SimCLR's
     * view with crop (0.2, 1), jitter 0.4/0.4/0.4/0.1 p = 0.8, grayscale p = 0.2, blur p = 0.5 (none
     * up to {@link #SMALL_SIDE}).
     */
    MOCO_V2("moco-v2"),
    /**
     * BYOL (Grill et al. 2020, table 6): asymmetric views, jitter 0.4/0.4/0.2/0.1 p = 0.8, grayscale
     * p = 0.2; view 1 blur p = 1.0, solarize p = 0; view 2 blur p = 0.1, solarize p = 0.2 (blur dropped
     * up to {@link #SMALL_SIDE}, solarization kept, as solo-learn's CIFAR {@code byol.yaml}).
     */
    BYOL("byol"),
    /** VICReg (Bardes et al. 2022, appendix C; its code's {@code TrainTransform}): BYOL's views. */
    VICREG("vicreg"),
    /** Barlow Twins (Zbontar et al. 2021, section 4; its code's {@code Transform}): BYOL's views. */
    BARLOW_TWINS("barlow-twins");

    /** Largest side treated as CIFAR-sized: no blur, and SimCLR's CIFAR colour strength. */
    public static final int SMALL_SIDE = ImageRecipes.CIFAR_SIZE;
    /** MoCo v2's crop area range, lower end ({@code RandomResizedCrop(224, scale=(0.2, 1.))}). */
    public static final double MOCO_V2_SCALE_MIN = 0.2;
    /** Names accepted by {@link #parse}, in declaration order. */
    public static final List<String> NAMES = List.of("simclr", "moco-v2", "byol", "vicreg", "barlow-twins");

    private final String label;

    ViewRecipe(String label) {
        this.label = label;
    }

    /** @return the recipe's name, e.g. {@code "moco-v2"} */
    public String label() {
        return label;
    }

    /**
     * @param name a recipe name, as {@link Methods#resolve} spells methods (aliases accepted; a method
     *             without a recipe of its own names its paper's, e.g. {@code simsiam}: {@link #MOCO_V2})
     * @return the recipe
     * @throws IllegalArgumentException naming the choices
     */
    public static ViewRecipe parse(String name) {
        String method;
        try {
            method = Methods.resolve(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ViewRecipe: expected one of " + NAMES + ", got " + name);
        }
        ViewRecipe recipe = defaultFor(method);
        if (recipe == null) {
            throw new IllegalArgumentException("ViewRecipe: expected one of " + NAMES + ", got " + name
                    + " (a reconstruction method has no two-view recipe)");
        }
        return recipe;
    }

    /**
     * @param method a method name ({@link Methods#NAMES})
     * @return its paper's recipe (SimSiam: MoCo v2's; MoCo v3, DINO: BYOL's; SwAV: SimCLR's; for DINO
     *         and SwAV the global crops', the local ones taking the first view's), or null for the
     *         autoencoders (one flipped view, no recipe)
     */
    public static ViewRecipe defaultFor(String method) {
        String m = Methods.resolve(method);
        switch (m) {
            case "simsiam":
                // SimSiam's reference (main_simsiam.py) uses MoCo v2's augmentation
                return MOCO_V2;
            case "moco-v3", "dino":
                // MoCo v3 and DINO take BYOL's asymmetric blur and solarization
                return BYOL;
            case "swav":
                // SwAV's crops take SimCLR's colour distortion and blur
                return SIMCLR;
            default:
                break;
        }
        for (ViewRecipe r : values()) {
            if (r.label.equals(m)) {
                return r;
            }
        }
        return null;
    }

    /**
     * @param side the crop side in pixels
     * @return the two views' parameters at that side
     */
    public List<ViewSpec> specs(int side) {
        boolean small = side <= SMALL_SIDE;
        List<ViewSpec> views = switch (this) {
            case SIMCLR -> {
                ViewSpec v = small ? ViewSpec.simclr(ImageRecipes.SIMCLR_CIFAR_STRENGTH, 0)
                        : ViewSpec.simclr(ImageRecipes.SIMCLR_IMAGENET_STRENGTH, ImageRecipes.SIMCLR_BLUR_P);
                yield List.of(v, v);
            }
            case MOCO_V2 -> {
                ViewSpec v = ViewSpec.simclr(ImageRecipes.SIMCLR_CIFAR_STRENGTH, ImageRecipes.SIMCLR_BLUR_P)
                        .withScale(MOCO_V2_SCALE_MIN, 1.0);
                yield List.of(v, v);
            }
            default -> List.of(ViewSpec.byol(ImageRecipes.BYOL_BLUR_P[0], ImageRecipes.BYOL_SOLARIZE_P[0]),
                    ViewSpec.byol(ImageRecipes.BYOL_BLUR_P[1], ImageRecipes.BYOL_SOLARIZE_P[1]));
        };
        return small ? views.stream().map(ViewSpec::withoutBlur).toList() : views;
    }

    /**
     * @param side the crop side in pixels
     * @return the two views' transforms at that side (not normalised)
     */
    public ViewPipeline<FloatImage> pipeline(int side) {
        List<Transform<FloatImage>> views = new ArrayList<>();
        for (ViewSpec s : specs(side)) {
            views.add(s.transform(side));
        }
        return new ViewPipeline<>(views);
    }
}
