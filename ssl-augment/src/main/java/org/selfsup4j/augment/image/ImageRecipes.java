package org.selfsup4j.augment.image;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.Compose;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.core.Checks;

/**
 * The view recipes of the papers, on images in [0, 1]. None normalises: append a {@link Normalize}
 * with {@link #withNormalize} where the encoder expects it.
 *
 * <ul>
 *   <li>SimCLR (Chen et al. 2020, appendix A): crop, flip, colour jitter of strength s with p=0.8,
 *       grayscale p=0.2; ImageNet adds blur p=0.5 with a kernel of 10% of the side. CIFAR uses s=0.5
 *       (jitter 0.4/0.4/0.4/0.1) and no blur.</li>
 *   <li>BYOL (Grill et al. 2020, table 6): jitter 0.4/0.4/0.2/0.1 p=0.8, grayscale 0.2; view 1 blur
 *       p=1.0 and no solarize, view 2 blur p=0.1 and solarize p=0.2.</li>
 *   <li>Multi-crop (SwAV, Caron et al. 2020): 2 global crops, scale (0.14, 1), and n small local
 *       crops, scale (0.05, 0.14), each with flip, SimCLR jitter and blur p=0.5.</li>
 * </ul>
 */
public final class ImageRecipes {
    /** SimCLR's colour-jitter probability. */
    public static final double SIMCLR_JITTER_P = 0.8;
    /** SimCLR's grayscale probability. */
    public static final double SIMCLR_GRAYSCALE_P = 0.2;
    /** SimCLR's ImageNet blur probability. */
    public static final double SIMCLR_BLUR_P = 0.5;
    /** SimCLR's CIFAR colour strength s (jitter 0.8s, 0.8s, 0.8s, 0.2s). */
    public static final double SIMCLR_CIFAR_STRENGTH = 0.5;
    /** SimCLR's ImageNet colour strength. */
    public static final double SIMCLR_IMAGENET_STRENGTH = 1.0;
    /** SimCLR's CIFAR crop size. */
    public static final int CIFAR_SIZE = 32;
    /** BYOL's blur probabilities of view 1 and view 2. */
    public static final double[] BYOL_BLUR_P = {1.0, 0.1};
    /** BYOL's solarize probabilities of view 1 and view 2. */
    public static final double[] BYOL_SOLARIZE_P = {0.0, 0.2};
    /** SwAV's global-crop scale range. */
    public static final double[] MULTICROP_GLOBAL_SCALE = {0.14, 1.0};
    /** SwAV's local-crop scale range. */
    public static final double[] MULTICROP_LOCAL_SCALE = {0.05, 0.14};

    private ImageRecipes() {
    }

    /**
     * SimCLR's single-view transform.
     *
     * @param size crop size
     * @param strength colour strength s (jitter 0.8s/0.8s/0.8s/0.2s)
     * @param blur whether to add the blur (p=0.5, kernel 10% of size)
     * @return the transform
     */
    public static Compose<FloatImage> simclr(int size, double strength, boolean blur) {
        return ViewSpec.simclr(strength, blur ? SIMCLR_BLUR_P : 0).transform(size);
    }

    /** @return SimCLR's CIFAR-10 recipe, two views: crop 32, jitter 0.4/0.4/0.4/0.1 p=0.8, gray 0.2, no blur */
    public static ViewPipeline<FloatImage> simclrCifar() {
        return ViewPipeline.repeated(simclr(CIFAR_SIZE, SIMCLR_CIFAR_STRENGTH, false), 2);
    }

    /**
     * SimCLR's ImageNet recipe, two views, with blur.
     *
     * @param size crop size (224 in the paper; 96 for STL-10-sized runs)
     * @return the pipeline
     */
    public static ViewPipeline<FloatImage> simclrImageNet(int size) {
        return ViewPipeline.repeated(simclr(size, SIMCLR_IMAGENET_STRENGTH, true), 2);
    }

    /**
     * One of BYOL's two asymmetric view transforms ({@link ViewSpec#byol}; a solarization of p = 0 is
     * left out, which changes no view: it was the chain's last draw).
     *
     * @param size crop size
     * @param view 0 or 1
     * @return the transform
     */
    public static Compose<FloatImage> byolView(int size, int view) {
        if (view != 0 && view != 1) {
            throw new IllegalArgumentException("ImageRecipes.byolView: view must be 0 or 1, got " + view);
        }
        return ViewSpec.byol(BYOL_BLUR_P[view], BYOL_SOLARIZE_P[view]).transform(size);
    }

    /**
     * BYOL's asymmetric pair.
     *
     * @param size crop size
     * @return the two-view pipeline
     */
    public static ViewPipeline<FloatImage> byol(int size) {
        return new ViewPipeline<>(List.of(byolView(size, 0), byolView(size, 1)));
    }

    /**
     * Multi-crop: 2 global crops then {@code numLocal} local crops.
     *
     * @param globalSize global crop side
     * @param localSize local crop side, at most globalSize
     * @param numLocal number of local crops, &gt;= 0
     * @return the pipeline (views 0 and 1 global, the rest local)
     */
    public static ViewPipeline<FloatImage> multiCrop(int globalSize, int localSize, int numLocal) {
        if (localSize > globalSize) {
            throw new IllegalArgumentException("ImageRecipes.multiCrop: localSize must be <= globalSize = " + globalSize
                    + ", got " + localSize);
        }
        Checks.nonNegative("ImageRecipes.multiCrop", "numLocal", numLocal);
        List<Transform<FloatImage>> views = new ArrayList<>();
        Compose<FloatImage> global = multiCropView(globalSize, MULTICROP_GLOBAL_SCALE);
        Compose<FloatImage> local = multiCropView(localSize, MULTICROP_LOCAL_SCALE);
        views.add(global);
        views.add(global);
        for (int i = 0; i < numLocal; i++) {
            views.add(local);
        }
        return new ViewPipeline<>(views);
    }

    /**
     * Appends a normalisation to every view.
     *
     * @param pipeline views
     * @param normalize the normalisation
     * @return the new pipeline
     */
    public static ViewPipeline<FloatImage> withNormalize(ViewPipeline<FloatImage> pipeline, Normalize normalize) {
        List<Transform<FloatImage>> views = new ArrayList<>();
        for (Transform<FloatImage> t : pipeline.transforms()) {
            views.add(Compose.of(t, normalize));
        }
        return new ViewPipeline<>(views);
    }

    private static Compose<FloatImage> multiCropView(int size, double[] scale) {
        return ViewSpec.simclr(SIMCLR_IMAGENET_STRENGTH, SIMCLR_BLUR_P).withScale(scale[0], scale[1]).transform(size);
    }
}
