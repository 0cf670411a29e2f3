/**
 * The transformer encoder, modality-free, with hand-written backward passes over ND4J: multi-head
 * self-attention, encoder layers with post-LN (wav2vec 2.0 base, HuBERT) or pre-LN (ViT, DeiT, MAE)
 * norms, and a stack of layers that exposes every layer's output. Speech (ssl-speech's context network)
 * and vision (ssl-vision's Vision Transformer) put their own embeddings around the same blocks.
 *
 * <p>Sequences are {@code [N, T, D]}; layers can leave padded positions out of attention
 * ({@link org.selfsup4j.core.nn.transformer.PaddedSequenceLayer}). The shared plumbing of such layers
 * ({@link org.selfsup4j.core.nn.transformer.ParameterizedLayer},
 * {@link org.selfsup4j.core.nn.transformer.NamedParameters},
 * {@link org.selfsup4j.core.nn.transformer.Residuals}) is public so that layers in other modules can
 * build on it. Buffers are reused per shape; not thread-safe.
 */
package org.selfsup4j.core.nn.transformer;
