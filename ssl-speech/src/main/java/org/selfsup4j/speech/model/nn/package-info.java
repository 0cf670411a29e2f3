/**
 * Speech blocks with hand-written backward passes over ND4J: wav2vec 2.0's and HuBERT's context
 * network (convolutional positional embedding and layer norm around ssl-core's post-LN
 * {@link org.selfsup4j.core.nn.transformer.TransformerStack}), the convolutional feature encoder and
 * the Gumbel-softmax product quantizer. The transformer itself (attention, layers, stack) is
 * modality-free and lives in {@link org.selfsup4j.core.nn.transformer}, shared with the Vision Transformer.
 */
package org.selfsup4j.speech.model.nn;
