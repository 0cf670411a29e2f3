package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ViewSpec;

/**
 * Multi-crop views (SwAV, Caron et al. 2020, section 3.2): the recipe's two views as global crops of
 * the global area range at the global side, then {@code n} local crops of the local area range cut
 * and augmented at the local side, each with the recipe's first view's colour, blur and
 * solarization. The ranges are a {@link CropScales}: SwAV's (0.14, 1) and (0.05, 0.14) for SwAV,
 * SimCLR and BYOL (solo-learn's multi-crop configurations use the same two), DINO's (0.4, 1) and
 * (0.05, 0.4) for DINO. The local side defaults to {@link #LOCAL_SIDE_FRACTION} of the global one.
 *
 * <p>The local crops keep their small side: a step's views then come in two shapes, and the trainer
 * forwards each shape group on its own ({@code Trainer.step}), so a local crop costs a small crop's
 * compute, as in SwAV.
 */
final class MultiCrop {
    /** The local crops' side as a fraction of the global crops': SwAV's and DINO's 96 of 224. */
    static final double LOCAL_SIDE_FRACTION = 96.0 / 224.0;

    private MultiCrop() {
    }

    /**
     * Every view's parameters: the recipe's two at the global area, then {@code n} copies of the
     * first at the local area.
     *
     * @param specs the recipe's two views' parameters
     * @param n local crops, &gt;= 0
     * @param scales the global and local area ranges
     * @return {@code 2 + n} specs, views 0 and 1 global
     */
    static List<ViewSpec> specs(List<ViewSpec> specs, int n, CropScales scales) {
        List<ViewSpec> all = new ArrayList<>();
        for (ViewSpec s : specs) {
            all.add(s.withScale(scales.globalMin(), scales.globalMax()));
        }
        ViewSpec localSpec = specs.get(0).withScale(scales.localMin(), scales.localMax());
        for (int i = 0; i < n; i++) {
            all.add(localSpec);
        }
        return all;
    }

    /**
     * @param specs the recipe's two views' parameters (their crop area range is replaced by the global one)
     * @param globalSide the global crops' side
     * @param localSide the local crops' side, at most {@code globalSide}
     * @param n local crops, &gt; 0
     * @param scales the global and local area ranges
     * @return views 0 and 1 global, 2 .. n + 1 local, each cut and augmented at its own side
     */
    static ViewPipeline<FloatImage> views(List<ViewSpec> specs, int globalSide, int localSide, int n,
            CropScales scales) {
        if (localSide > globalSide) {
            throw new IllegalArgumentException("MultiCrop: the local side must be at most the global side "
                    + globalSide + ", got " + localSide);
        }
        List<ViewSpec> all = specs(specs, n, scales);
        List<Transform<FloatImage>> views = new ArrayList<>();
        for (int v = 0; v < all.size(); v++) {
            views.add(all.get(v).transform(v < specs.size() ? globalSide : localSide));
        }
        return new ViewPipeline<>(views);
    }
}
