/**
 * Speech blocks with hand-written backward passes over ND4J: multi-head self-attention, post-LN
 * transformer layers and encoder, convolutional positional embedding, convolutional feature encoder,
 * Gumbel-softmax product quantizer.
 */
package org.selfsup4j.speech.model.nn;
