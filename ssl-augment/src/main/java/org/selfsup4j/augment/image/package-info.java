/**
 * Image views on {@link org.selfsup4j.augment.image.FloatImage} (float CHW in [0, 1]): the functional
 * operations behind the transforms (the package-private {@code ImageOps}), the random transforms of torchvision
 * (RandomResizedCrop, RandomHorizontalFlip, ColorJitter, RandomGrayscale, GaussianBlur, RandomSolarize,
 * Normalize), the papers' recipes ({@link org.selfsup4j.augment.image.ImageRecipes}) and batch
 * assembly ({@link org.selfsup4j.augment.image.ImageCollate}).
 *
 * <p>Reference semantics: torchvision 0.14 on float tensors ({@code torchvision.transforms.functional}
 * with {@code antialias=False}, i.e. the tensor path, not PIL). With the random draws fixed, outputs
 * equal torchvision's within 1e-5 (golden files under {@code src/test/resources}, made by
 * {@code make_golden.py}).
 */
package org.selfsup4j.augment.image;
