/**
 * Evaluation of speech representations: {@link org.selfsup4j.speech.eval.LayerEmbeddings} mean-pools
 * every layer of a {@link org.selfsup4j.speech.model.SpeechBackbone} over whole utterances,
 * {@link org.selfsup4j.speech.eval.LayerProbe} chooses a layer on held-out training data and reports its
 * linear probe, and {@link org.selfsup4j.speech.eval.MfccMeans} is the MFCC baseline.
 */
package org.selfsup4j.speech.eval;
