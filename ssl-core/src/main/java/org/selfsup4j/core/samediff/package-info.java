/**
 * Networks written as SameDiff graphs, behind the same {@link org.selfsup4j.core.nn.Encoder}
 * contract as the native blocks: {@link org.selfsup4j.core.samediff.SameDiffBlocks} builds the
 * standard layers, {@link org.selfsup4j.core.samediff.SameDiffEncoder} runs a graph forward and
 * back-propagates a gradient that a loss kernel computed outside the graph.
 *
 * <p>SameDiff's per-op overhead makes small networks slow (see the benchmarks README); the
 * native blocks in {@link org.selfsup4j.core.nn} are the fast path for the standard layers.
 */
package org.selfsup4j.core.samediff;
