/**
 * Image backbones (a small ConvNet, ResNet-18 for small images, a Vision Transformer with DeiT-Tiny's
 * sizes on ssl-core's {@link org.selfsup4j.core.nn.transformer transformer}) described by a
 * reproducible {@link org.selfsup4j.vision.encoders.BackboneSpec}, and projection heads / predictors.
 */
package org.selfsup4j.vision.encoders;
