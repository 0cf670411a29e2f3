/**
 * Pretrained-encoder files: one file that describes itself, holding a trained backbone's structured
 * configuration, the preprocessing a caller must apply before it, its weights and buffers, and where
 * it came from ({@link org.selfsup4j.core.encoder.EncoderFile}, {@link
 * org.selfsup4j.core.encoder.EncoderHeader}, {@link org.selfsup4j.core.encoder.EncoderProvenance}).
 * Stored in the checkpoint container ({@link org.selfsup4j.core.checkpoint.CheckpointFormat}): no code
 * runs on load, CRC32C end to end, atomic replace. The modality modules build the backbone and the
 * embedding API on top ({@code org.selfsup4j.vision.pretrained}, {@code org.selfsup4j.speech.pretrained}),
 * each encoder a {@link org.selfsup4j.core.encoder.PretrainedEncoder}.
 */
package org.selfsup4j.core.encoder;
