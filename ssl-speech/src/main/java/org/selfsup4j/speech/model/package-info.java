/**
 * Speech pre-training models: wav2vec 2.0 ({@link org.selfsup4j.speech.model.Wav2Vec2Model},
 * {@link org.selfsup4j.speech.model.Wav2Vec2Objective}), HuBERT and ILS-SSL
 * ({@link org.selfsup4j.speech.model.HubertModel}, {@link org.selfsup4j.speech.model.HubertObjective}),
 * span masking and frame labelling. Models plug into the core {@code Trainer}: the feature encoder is
 * the trainer's encoder, everything after it (masking, transformer, quantizer, heads, loss) is the objective.
 */
package org.selfsup4j.speech.model;
