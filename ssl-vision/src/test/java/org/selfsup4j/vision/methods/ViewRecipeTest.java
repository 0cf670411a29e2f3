package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.ViewSpec;

/** Each method's default views are its paper's, sized to the images. */
class ViewRecipeTest {
    @Test
    void defaults_perMethod() {
        assertEquals(ViewRecipe.SIMCLR, ViewRecipe.defaultFor("simclr"));
        assertEquals(ViewRecipe.MOCO_V2, ViewRecipe.defaultFor("moco"));
        assertEquals(ViewRecipe.BYOL, ViewRecipe.defaultFor("byol"));
        assertEquals(ViewRecipe.VICREG, ViewRecipe.defaultFor("vicreg"));
        assertEquals(ViewRecipe.BARLOW_TWINS, ViewRecipe.defaultFor("barlow-twins"));
        assertNull(ViewRecipe.defaultFor("vae"));
    }

    @Test
    void simclr_onCifarSizedImages_strengthHalfNoBlur_asTheLibraryAlwaysUsed() {
        ViewSpec v = ViewRecipe.SIMCLR.specs(32).get(0);
        assertEquals(ViewSpec.simclr(0.5, 0), v);
        assertEquals(0.4, v.brightness(), 1e-12);
        assertEquals(0.1, v.hue(), 1e-12);
        assertEquals(0.8, v.jitterP());
        assertEquals(0.2, v.grayscaleP());
        assertEquals(0.08, v.scaleMin());
        assertEquals(0, v.blurP());
        // bit for bit the pipeline every method used before the recipes (SimCLR's default keeps it)
        ViewPipeline<FloatImage> before = ViewPipeline.repeated(
                ImageRecipes.simclr(32, ImageRecipes.SIMCLR_CIFAR_STRENGTH, false), 2);
        ViewPipeline<FloatImage> now = ViewRecipe.SIMCLR.pipeline(32);
        for (FloatImage img : MethodTrainingTest.images(6, 3)) {
            for (int view = 0; view < 2; view++) {
                assertArrayEquals(before.view(img, 7, 1, 5, view).data(), now.view(img, 7, 1, 5, view).data());
            }
        }
    }

    @Test
    void simclr_onLargerImages_imageNetStrengthAndBlur() {
        ViewSpec v = ViewRecipe.SIMCLR.specs(96).get(0);
        assertEquals(0.8, v.brightness(), 1e-12);
        assertEquals(0.2, v.hue(), 1e-12);
        assertEquals(ImageRecipes.SIMCLR_BLUR_P, v.blurP());
        assertEquals(0, v.solarizeP());
    }

    @Test
    void mocoV2_simclrJitterCrop02AndBlurAboveCifar() {
        ViewSpec v = ViewRecipe.MOCO_V2.specs(64).get(0);
        assertEquals(0.2, v.scaleMin());
        assertEquals(0.4, v.saturation(), 1e-12);
        assertEquals(0.1, v.hue(), 1e-12);
        assertEquals(0.5, v.blurP());
        assertEquals(0, ViewRecipe.MOCO_V2.specs(32).get(1).blurP());
    }

    @Test
    void byolVicregBarlow_asymmetricBlurAndSolarize() {
        for (ViewRecipe r : List.of(ViewRecipe.BYOL, ViewRecipe.VICREG, ViewRecipe.BARLOW_TWINS)) {
            List<ViewSpec> big = r.specs(224);
            assertEquals(1.0, big.get(0).blurP(), r.label());
            assertEquals(0.0, big.get(0).solarizeP(), r.label());
            assertEquals(0.1, big.get(1).blurP(), r.label());
            assertEquals(0.2, big.get(1).solarizeP(), r.label());
            assertEquals(0.2, big.get(0).saturation(), 1e-12);
            assertEquals(0.4, big.get(0).contrast(), 1e-12);
            // CIFAR-sized: no blur, the solarization stays (solo-learn's CIFAR configurations)
            List<ViewSpec> small = r.specs(28);
            assertEquals(0.0, small.get(0).blurP());
            assertEquals(0.2, small.get(1).solarizeP());
        }
    }

    @Test
    void parse_namesAndAliases_refusesOthersNamingChoices() {
        assertEquals(ViewRecipe.MOCO_V2, ViewRecipe.parse("mocov2"));
        assertEquals(ViewRecipe.BARLOW_TWINS, ViewRecipe.parse("barlow"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViewRecipe.parse("ae"));
        assertTrue(e.getMessage().contains("simclr") && e.getMessage().contains("ae"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ViewRecipe.parse("no-such-recipe"));
    }
}
