/**
 * Runnable speech example: wav2vec 2.0 / HuBERT / ILS-SSL pretraining on FSDD within a time budget,
 * then layer-wise linear probes against random-init and MFCC baselines
 * ({@link org.selfsup4j.examples.speech.SpeechPretrainExample}).
 */
package org.selfsup4j.examples.speech;
