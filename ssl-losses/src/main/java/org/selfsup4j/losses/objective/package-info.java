/**
 * The loss kernels of {@link org.selfsup4j.losses} as {@link org.selfsup4j.core.train.Objective}s for
 * the {@link org.selfsup4j.core.train.Trainer}: SimCLR, MoCo v2, BYOL, VICReg and Barlow Twins.
 * Each is a thin assembly of a stateless loss and, where the method needs them, objects of their
 * own: a predictor, an EMA target ({@link org.selfsup4j.core.optim.EmaCopy}), a
 * {@link org.selfsup4j.losses.MocoQueue}. {@link org.selfsup4j.losses.objective.SameDiffNtXentObjective} is
 * SimCLR's loss written as a SameDiff graph, the reference the kernel is benchmarked against.
 */
package org.selfsup4j.losses.objective;
