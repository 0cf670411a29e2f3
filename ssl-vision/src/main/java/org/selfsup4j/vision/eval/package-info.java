/**
 * Frozen-feature evaluation: {@link org.selfsup4j.vision.eval.Features} runs the backbone in eval mode
 * over normalised images, {@link org.selfsup4j.vision.eval.FrozenProbes} scores those features with
 * core's {@link org.selfsup4j.core.eval.KnnClassifier} and {@link org.selfsup4j.core.eval.LinearProbe}.
 */
package org.selfsup4j.vision.eval;
