/**
 * Optimizers, learning-rate and momentum schedules, and EMA target networks.
 *
 * <p>Optimizers ({@link org.selfsup4j.core.optim.Sgd}, {@link org.selfsup4j.core.optim.Adam},
 * {@link org.selfsup4j.core.optim.AdamW}, {@link org.selfsup4j.core.optim.Lars}) implement
 * {@link org.selfsup4j.core.optim.Optimizer}, follow torch.optim's arithmetic (checked against
 * PyTorch trajectories), read the learning rate from a
 * {@link org.selfsup4j.core.optim.LearningRateSchedule} at every step, apply weight decay only to
 * parameters whose {@link org.selfsup4j.core.nn.Parameter#weightDecay()} is true, keep their state
 * as live arrays keyed {@code "<param>/<slot>"}, and update in place without per-step allocation.
 * {@code AdamW} is {@code Adam} with decoupled weight decay: one implementation, one builder.
 *
 * <p>{@link org.selfsup4j.core.optim.EmaCopy} keeps a target network as an exponential moving average
 * of an online one, with tau from a {@link org.selfsup4j.core.optim.MomentumSchedule}.
 */
package org.selfsup4j.core.optim;
