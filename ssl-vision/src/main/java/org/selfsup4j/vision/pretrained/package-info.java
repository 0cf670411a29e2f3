/**
 * Pretrained image encoders: export a trained backbone (or the backbone in a training checkpoint) to
 * a self-describing encoder file ({@link org.selfsup4j.vision.pretrained.ImageEncoderExport}), and load
 * one to embed images ({@link org.selfsup4j.vision.pretrained.ImageEncoder}), preprocessed as the file
 * says ({@link org.selfsup4j.vision.pretrained.ImagePreprocessing}).
 */
package org.selfsup4j.vision.pretrained;
