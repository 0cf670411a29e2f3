package org.selfsup4j.speech.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Supplies HuBERT's frame targets for a batch of waveforms: one cluster id per model frame.
 * Iteration 1 clusters MFCC frames ({@link KMeansFrameLabeler}); iteration 2 clusters the features of
 * a layer of the iteration-1 model ({@link KMeansFrameLabeler#ofLayer}).
 */
@FunctionalInterface
public interface FrameLabeler {

    /**
     * @param waveforms {@code [N, samples]}
     * @param frames the model's frame count T for these waveforms
     * @return cluster ids {@code [N, T]} (an integer array)
     */
    INDArray labels(INDArray waveforms, int frames);
}
