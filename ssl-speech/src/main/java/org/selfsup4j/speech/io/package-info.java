/**
 * Audio input: a RIFF/WAV reader that checks every header value before trusting it
 * ({@link org.selfsup4j.speech.io.WavReader}), a matching writer
 * ({@link org.selfsup4j.speech.io.WavWriter}), the decoded value type
 * ({@link org.selfsup4j.speech.io.Audio}) and a band-limited resampler
 * ({@link org.selfsup4j.speech.io.Resampler}).
 *
 * <p>The JDK's {@code javax.sound.sampled} is not used: it trusts declared sizes (a 100-byte file
 * can report 2^31 frames), accepts a zero sample rate and rejects WAVE_FORMAT_EXTENSIBLE.
 */
package org.selfsup4j.speech.io;
