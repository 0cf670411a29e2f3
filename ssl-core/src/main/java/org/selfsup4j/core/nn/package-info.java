/**
 * Network building blocks with hand-written backward passes, executed as direct ND4J operations on
 * preallocated buffers (the fast path: no SameDiff graph, no per-call allocation once shapes are stable).
 *
 * <p>Every block implements {@link org.selfsup4j.core.nn.Module}: {@code forward(x, training)} validates
 * the input and returns a buffer the block reuses on its next call of the same shape; {@code backward}
 * adds parameter gradients into {@link org.selfsup4j.core.nn.Parameter#gradient()} and returns dLoss/dInput.
 * Layouts, names and initialisation follow PyTorch: NCHW/NCW, {@code weight}/{@code bias},
 * {@code running_mean}/{@code running_var}, Kaiming-uniform with {@code a = sqrt(5)} for Linear and
 * convolutions, so checkpoints and fixtures line up with PyTorch models.
 *
 * <ul>
 *   <li>Layers: {@link org.selfsup4j.core.nn.Linear}, {@link org.selfsup4j.core.nn.Conv2d},
 *       {@link org.selfsup4j.core.nn.Conv1d}.</li>
 *   <li>Normalization: {@link org.selfsup4j.core.nn.BatchNorm}, {@link org.selfsup4j.core.nn.LayerNorm},
 *       {@link org.selfsup4j.core.nn.GroupNorm}.</li>
 *   <li>Parameter-free: {@link org.selfsup4j.core.nn.ReLU}, {@link org.selfsup4j.core.nn.GELU},
 *       {@link org.selfsup4j.core.nn.Identity}, {@link org.selfsup4j.core.nn.GlobalAvgPool},
 *       {@link org.selfsup4j.core.nn.Flatten}.</li>
 *   <li>Composites: {@link org.selfsup4j.core.nn.Sequential}, {@link org.selfsup4j.core.nn.ResidualBlock},
 *       {@link org.selfsup4j.core.nn.Mlp} (the generic shape of projection heads and predictors).</li>
 * </ul>
 *
 * <p>A module remembers only its last forward, and keeps a reference to (not a copy of) its input:
 * do not overwrite an input between {@code forward} and {@code backward}, and do not put one module
 * instance twice into a network (concatenate views along the batch axis instead). {@code backward}
 * also works after an eval-mode forward: it then differentiates the eval-mode function (batch norm
 * with its running statistics). Modules are not thread-safe.
 *
 * <p>The layers validate their arguments and keep their buffers; the arithmetic runs in
 * {@link org.selfsup4j.core.kernel} (not API). On the CPU backend the data movement of convolutions
 * (im2col, col2im, layout changes) and batch norm's per-channel passes run as Java loops over the
 * arrays' host buffers, because libnd4j's strided copies and channel-axis broadcasts were the largest
 * costs of a training step (benchmarks/PERF.md); other backends take the ND4J-op path. Containers
 * ({@link org.selfsup4j.core.nn.Sequential}, {@link org.selfsup4j.core.nn.ResidualBlock},
 * {@link org.selfsup4j.core.nn.Mlp}) report each child's forward and backward to an optional
 * {@link org.selfsup4j.core.nn.ModuleObserver}, which is how a profiler breaks a step down by block type.
 */
package org.selfsup4j.core.nn;
