package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.ViewSpec;

/**
 * Multi-crop views (SwAV, Caron et al. 2020, section 3.2): the recipe's two views as global crops of
 * area {@link ImageRecipes#MULTICROP_GLOBAL_SCALE} (SwAV's (0.14, 1)) at the global side, then
 * {@code n} local crops of area {@link ImageRecipes#MULTICROP_LOCAL_SCALE} (SwAV's (0.05, 0.14)) cut
 * and augmented at the local side, each with the recipe's first view's colour, blur and
 * solarization; solo-learn's multi-crop configurations use the same two ranges.
 *
 * <p>The local crops keep their small side: a step's views then come in two shapes, and the trainer
 * forwards each shape group on its own ({@code Trainer.step}), so a local crop costs a small crop's
 * compute, as in SwAV.
 */
final class MultiCrop {
    private MultiCrop() {
    }

    /**
     * Every view's parameters: the recipe's two at SwAV's global area, then {@code n} copies of the
     * first at the local area.
     *
     * @param specs the recipe's two views' parameters
     * @param n local crops, &gt;= 0
     * @return {@code 2 + n} specs, views 0 and 1 global
     */
    static List<ViewSpec> specs(List<ViewSpec> specs, int n) {
        double[] global = ImageRecipes.MULTICROP_GLOBAL_SCALE;
        double[] local = ImageRecipes.MULTICROP_LOCAL_SCALE;
        List<ViewSpec> all = new ArrayList<>();
        for (ViewSpec s : specs) {
            all.add(s.withScale(global[0], global[1]));
        }
        ViewSpec localSpec = specs.get(0).withScale(local[0], local[1]);
        for (int i = 0; i < n; i++) {
            all.add(localSpec);
        }
        return all;
    }

    /**
     * @param specs the recipe's two views' parameters (their crop area range is replaced by SwAV's global one)
     * @param globalSide the global crops' side
     * @param localSide the local crops' side, at most {@code globalSide}
     * @param n local crops, &gt; 0
     * @return views 0 and 1 global, 2 .. n + 1 local, each cut and augmented at its own side
     */
    static ViewPipeline<FloatImage> views(List<ViewSpec> specs, int globalSide, int localSide, int n) {
        if (localSide > globalSide) {
            throw new IllegalArgumentException("MultiCrop: the local side must be at most the global side "
                    + globalSide + ", got " + localSide);
        }
        List<ViewSpec> all = specs(specs, n);
        List<Transform<FloatImage>> views = new ArrayList<>();
        for (int v = 0; v < all.size(); v++) {
            views.add(all.get(v).transform(v < specs.size() ? globalSide : localSide));
        }
        return new ViewPipeline<>(views);
    }
}
