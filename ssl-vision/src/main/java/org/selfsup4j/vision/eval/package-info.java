/**
 * Evaluation of frozen representations: feature extraction in eval mode, weighted kNN (k = 200,
 * T = 0.07) and a linear probe.
 */
package org.selfsup4j.vision.eval;
