/**
 * Self-supervised learning on images: datasets ({@link org.selfsup4j.vision.data}), backbones and
 * heads ({@link org.selfsup4j.vision.encoders}), decoder, patch and masking blocks ({@link org.selfsup4j.vision.nn}),
 * method assemblies for the core trainer ({@link org.selfsup4j.vision.methods}) and frozen-feature
 * evaluation ({@link org.selfsup4j.vision.eval}).
 */
package org.selfsup4j.vision;
