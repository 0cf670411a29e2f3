/**
 * Modules the core lacks for image decoders: nearest-neighbour upsampling and a per-sample reshape,
 * with hand-written backward passes checked against finite differences.
 */
package org.selfsup4j.vision.nn;
