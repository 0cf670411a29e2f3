/**
 * The training loop: {@link org.selfsup4j.core.train.Trainer} drives an encoder and any
 * {@link org.selfsup4j.core.train.Objective} through the same steps (forward once over all views,
 * objective, backward, NaN guard, optimizer, post-step hooks, checkpoints), reporting progress to
 * {@link org.selfsup4j.core.train.TrainingListener}s.
 */
package org.selfsup4j.core.train;
