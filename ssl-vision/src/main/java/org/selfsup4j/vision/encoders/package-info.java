/**
 * Image backbones (a small ConvNet, ResNet-18 for small images) described by a reproducible
 * {@link org.selfsup4j.vision.encoders.BackboneSpec}, and projection heads / predictors.
 */
package org.selfsup4j.vision.encoders;
