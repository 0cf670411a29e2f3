/**
 * Audio views on mono waveforms ({@code float[]}) and spectrograms ({@code float[][]}, [F][T]):
 * random crop or pad, gain in dB, additive noise at a chosen SNR, time shift, speed perturbation by
 * band-limited (windowed-sinc) resampling, and SpecAugment time and frequency masking. The
 * deterministic kernels are in the package-private {@code AudioOps}, behind the transforms.
 */
package org.selfsup4j.augment.audio;
