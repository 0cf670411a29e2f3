/**
 * Speech pre-training networks: the shared {@link org.selfsup4j.speech.model.SpeechBackbone}, the
 * wav2vec 2.0 model ({@link org.selfsup4j.speech.model.Wav2Vec2Model}: backbone + quantizer and
 * projections), the HuBERT / ILS-SSL model ({@link org.selfsup4j.speech.model.HubertModel}: backbone +
 * prediction heads), span masking and frame labelling. The training steps that use them (the
 * objectives) and the method assemblies are in {@code org.selfsup4j.speech.methods}.
 */
package org.selfsup4j.speech.model;
