package org.selfsup4j.augment.loader;

import java.util.List;

/**
 * Assembles the samples of one batch into a batch (e.g. stacks images into {@code [N, C, H, W]}).
 * Called on a worker thread.
 *
 * @param <S> the sample type
 * @param <B> the batch type
 */
@FunctionalInterface
public interface Collator<S, B> {

    /**
     * @param samples the samples, in batch order
     * @param sampleIndices their dataset indices, same order
     * @return the batch
     * @throws Exception any failure; the loader hands it to the consumer
     */
    B collate(List<S> samples, int[] sampleIndices) throws Exception;
}
