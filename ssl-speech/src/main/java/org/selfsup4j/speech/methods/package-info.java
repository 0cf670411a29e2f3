/**
 * Thin speech method assemblies for the core {@link org.selfsup4j.core.train.Trainer}: wav2vec 2.0,
 * HuBERT (iteration 1, MFCC k-means targets) and ILS-SSL, each built from the public networks of
 * {@code org.selfsup4j.speech.model} plus its training step (the objectives here) and an optimizer.
 * {@link org.selfsup4j.speech.methods.SpeechMethods} looks them up by name;
 * {@link org.selfsup4j.speech.methods.TimeBudget} runs a learning-rate schedule on the clock.
 */
package org.selfsup4j.speech.methods;
