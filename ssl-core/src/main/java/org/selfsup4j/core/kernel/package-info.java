/**
 * The kernels behind the layers of {@link org.selfsup4j.core.nn}: host-memory loops over ND4J arrays
 * ({@link org.selfsup4j.core.kernel.HostArrays}), the convolution paths (im2col + GEMM, and the heap
 * path with a Vector API matrix kernel), batch norm's per-channel passes, fused element-wise passes,
 * strided copies, scratch workspaces, and {@link org.selfsup4j.core.kernel.Parallel}, the one fixed
 * work split of every parallel loop.
 *
 * <p><b>Not API.</b> The types here are public only so that the layers and the other selfsup4j modules
 * can call them; names, signatures and behaviour may change without notice. Build networks from
 * {@link org.selfsup4j.core.nn} instead.
 */
package org.selfsup4j.core.kernel;
