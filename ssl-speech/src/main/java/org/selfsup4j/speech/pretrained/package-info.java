/**
 * Pretrained speech encoders: export a trained wav2vec 2.0 / HuBERT / ILS-SSL trunk (or the trunk in a
 * training checkpoint) to a self-describing encoder file
 * ({@link org.selfsup4j.speech.pretrained.SpeechEncoderExport}), and load one to embed waveforms
 * ({@link org.selfsup4j.speech.pretrained.SpeechEncoder}), resampled, normalised and pooled as the file
 * says ({@link org.selfsup4j.speech.pretrained.SpeechPreprocessing}).
 */
package org.selfsup4j.speech.pretrained;
