/**
 * Frozen-feature extraction for evaluation: the backbone in eval mode over normalised images. The
 * probes themselves are core's {@link org.selfsup4j.core.eval.KnnClassifier} and
 * {@link org.selfsup4j.core.eval.LinearProbe}.
 */
package org.selfsup4j.vision.eval;
