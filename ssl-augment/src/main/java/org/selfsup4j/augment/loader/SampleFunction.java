package org.selfsup4j.augment.loader;

/**
 * Produces one sample (for instance the views of one image). Must be a pure function of its
 * arguments and the function's own immutable state: workers call it concurrently and in any order.
 *
 * @param <S> the sample type
 */
@FunctionalInterface
public interface SampleFunction<S> {

    /**
     * @param epoch the epoch
     * @param sampleIndex index of the sample in the dataset
     * @return the sample
     * @throws Exception any failure; the loader hands it to the consumer with the index
     */
    S load(long epoch, int sampleIndex) throws Exception;
}
