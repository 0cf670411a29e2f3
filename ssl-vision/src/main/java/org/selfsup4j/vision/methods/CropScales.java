package org.selfsup4j.vision.methods;

import org.selfsup4j.augment.image.ImageRecipes;

/**
 * The crop area ranges of multi-crop views ({@link MultiCrop}): the global crops' and the local
 * crops', as fractions of the image's area ({@code RandomResizedCrop}'s {@code scale}).
 *
 * @param globalMin the global crops' smallest area, in (0, globalMax]
 * @param globalMax their largest, at most 1
 * @param localMin the local crops' smallest area, in (0, localMax]
 * @param localMax their largest, at most 1
 */
public record CropScales(double globalMin, double globalMax, double localMin, double localMax) {
    /**
     * SwAV's (Caron et al. 2020, section 3.2 and {@code main_swav.py}'s {@code min_scale_crops 0.14 0.05},
     * {@code max_scale_crops 1. 0.14}): global (0.14, 1), local (0.05, 0.14). The multi-crop ranges of
     * SimCLR and BYOL here too, as solo-learn's multi-crop configurations.
     */
    public static final CropScales SWAV = new CropScales(ImageRecipes.MULTICROP_GLOBAL_SCALE[0],
            ImageRecipes.MULTICROP_GLOBAL_SCALE[1], ImageRecipes.MULTICROP_LOCAL_SCALE[0],
            ImageRecipes.MULTICROP_LOCAL_SCALE[1]);
    /** DINO's ({@code main_dino.py}: {@code global_crops_scale (0.4, 1.)}, {@code local_crops_scale (0.05, 0.4)}). */
    public static final CropScales DINO = new CropScales(0.4, 1.0, 0.05, 0.4);

    public CropScales {
        if (!(globalMin > 0 && globalMin <= globalMax && globalMax <= 1 && localMin > 0 && localMin <= localMax
                && localMax <= 1)) {
            throw new IllegalArgumentException("CropScales: expected 0 < min <= max <= 1 for both ranges, got global ("
                    + globalMin + ", " + globalMax + ") and local (" + localMin + ", " + localMax + ")");
        }
    }
}
