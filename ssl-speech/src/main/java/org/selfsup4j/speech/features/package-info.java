/**
 * Spectral features computed the way Kaldi computes them, matching {@code torchaudio.compliance.kaldi}
 * of torchaudio 0.13 with dither 0: {@link org.selfsup4j.speech.features.LogMelSpectrogram}
 * ({@code kaldi.fbank}), {@link org.selfsup4j.speech.features.Mfcc} ({@code kaldi.mfcc}) and
 * {@link org.selfsup4j.speech.features.Deltas} ({@code torchaudio.functional.compute_deltas}).
 * {@link org.selfsup4j.speech.features.Mfcc#hubert(int)} gives the 39-dimensional MFCC + delta +
 * delta-delta features of HuBERT's first k-means iteration.
 *
 * <p>Features are {@code float[frames][dims]}, time-major as Kaldi and torchaudio return them.
 */
package org.selfsup4j.speech.features;
