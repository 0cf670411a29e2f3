/**
 * Image modules the core lacks: nearest-neighbour upsampling and a per-sample reshape for decoders,
 * with hand-written backward passes checked against finite differences, the patch masking noise
 * of the denoising autoencoder, the cutting of images into patch rows (the ViT's patch embedding and
 * MAE's targets) and MAE's random choice of the patches the encoder keeps.
 */
package org.selfsup4j.vision.nn;
