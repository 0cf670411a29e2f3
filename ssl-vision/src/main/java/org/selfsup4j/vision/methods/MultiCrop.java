package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.Compose;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.Resize;
import org.selfsup4j.augment.image.ViewSpec;

/**
 * Multi-crop views (SwAV, Caron et al. 2020): the two global views of a recipe, then {@code n} local
 * crops of a small area ({@link ImageRecipes#MULTICROP_LOCAL_SCALE}, SwAV's (0.05, 0.14)) cut at a
 * small side, each with the recipe's first view's colour, blur and solarization.
 *
 * <p>Deviation to know: the trainer runs every view of a step as one batch, so all views must share
 * one shape; each local crop, cut and augmented at its small side, is therefore resized (bilinear) to
 * the global side. It keeps only a small crop's detail, as in SwAV, but costs a global crop's compute,
 * unlike SwAV. The global crops keep the recipe's area range (SwAV narrows it to (0.14, 1)).
 */
final class MultiCrop {
    private MultiCrop() {
    }

    /**
     * @param global the recipe's two views at the global side
     * @param spec the view whose augmentation the local crops take
     * @param globalSide the global crops' side
     * @param localSide the local crops' side, at most {@code globalSide}
     * @param n local crops, &gt; 0
     * @return views 0 and 1 global, 2 .. n + 1 local
     */
    static ViewPipeline<FloatImage> withLocalCrops(ViewPipeline<FloatImage> global, ViewSpec spec, int globalSide,
            int localSide, int n) {
        if (localSide > globalSide) {
            throw new IllegalArgumentException("MultiCrop: the local side must be at most the global side "
                    + globalSide + ", got " + localSide);
        }
        double[] scale = ImageRecipes.MULTICROP_LOCAL_SCALE;
        Transform<FloatImage> local = Compose.of(spec.withScale(scale[0], scale[1]).transform(localSide),
                new Resize(globalSide));
        List<Transform<FloatImage>> views = new ArrayList<>(global.transforms());
        for (int i = 0; i < n; i++) {
            views.add(local);
        }
        return new ViewPipeline<>(views);
    }
}
