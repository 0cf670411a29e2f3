/**
 * Self-supervised loss kernels with exact, hand-written gradients: {@link org.selfsup4j.losses.NtXentLoss}
 * (SimCLR), {@link org.selfsup4j.losses.InfoNceLoss} with {@link org.selfsup4j.losses.MocoQueue} (MoCo),
 * {@link org.selfsup4j.losses.ByolLoss}, {@link org.selfsup4j.losses.VicRegLoss} and
 * {@link org.selfsup4j.losses.BarlowTwinsLoss}.
 *
 * <p>Each loss computes its value and the gradient with respect to every argument in one call,
 * returning a {@link org.selfsup4j.losses.LossResult}. Kernels work in the data type of their inputs
 * (float32 or float64), use GEMM into preallocated buffers and in-place element-wise ops, and keep
 * those buffers between calls (re-allocated only when the input shapes or data type change).
 * Consequently the gradients of a result are views of a loss instance's buffers and stay valid
 * until the next {@code compute} on the same instance; {@code dup()} them to keep them longer.
 * A loss instance is not thread-safe; use one instance per thread.
 *
 * <p>Losses hold no training state: the MoCo queue of negatives is its own object,
 * {@link org.selfsup4j.losses.MocoQueue}.
 */
package org.selfsup4j.losses;
