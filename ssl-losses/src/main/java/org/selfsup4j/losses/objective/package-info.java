/**
 * The loss kernels of {@link org.selfsup4j.losses} as {@link org.selfsup4j.core.train.Objective}s for
 * the {@link org.selfsup4j.core.train.Trainer}: SimCLR, MoCo v2, MoCo v3, BYOL, SimSiam, DINO, SwAV,
 * VICReg and Barlow Twins. Each is a thin assembly of a stateless loss and, where the method needs
 * them, objects of their own: a predictor, an EMA target or teacher
 * ({@link org.selfsup4j.core.optim.EmaCopy}), a {@link org.selfsup4j.losses.MocoQueue}, SwAV's
 * prototypes and feature queue. DINO and SwAV take multi-crop views (two global crops first, then
 * the local ones). {@link org.selfsup4j.losses.objective.SameDiffNtXentObjective} is SimCLR's loss
 * written as a SameDiff graph, the reference the kernel is benchmarked against.
 */
package org.selfsup4j.losses.objective;
