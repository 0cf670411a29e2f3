/**
 * Image modules the core lacks: nearest-neighbour upsampling and a per-sample reshape for decoders,
 * with hand-written backward passes checked against finite differences, and the patch masking noise
 * of the denoising autoencoder.
 */
package org.selfsup4j.vision.nn;
