/**
 * The training loop: {@link org.selfsup4j.core.train.Trainer} drives an encoder and any
 * {@link org.selfsup4j.core.train.Objective} through the same steps (forward once over all views,
 * objective, backward, NaN guard, optimizer, post-step hooks, checkpoints), reporting progress to
 * {@link org.selfsup4j.core.train.TrainingListener}s. The NaN guard restores every state array on a
 * skipped step ({@link org.selfsup4j.core.train.SkippedStep}); a
 * {@link org.selfsup4j.core.train.DivergenceMonitor} warns of (and optionally stops) runs that diverge
 * without a NaN. Profiling is opt-in and off by default: a
 * {@link org.selfsup4j.core.train.StepProfiler} receives the duration of every
 * {@link org.selfsup4j.core.train.StepPhase}, and {@link org.selfsup4j.core.train.StepTimes} adds a
 * per-block breakdown when attached to the encoder as its module observer.
 */
package org.selfsup4j.core.train;
