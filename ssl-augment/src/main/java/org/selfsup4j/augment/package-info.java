/**
 * Views for self-supervised learning: seeded random transforms on images ({@code image}) and audio
 * ({@code audio}), view pipelines that turn one sample into several views, and a multi-threaded,
 * ordered batch loader ({@code loader}).
 *
 * <p>Every random draw is a pure function of (seed, epoch, sample index, view index), through
 * {@link org.selfsup4j.core.train.Seeds#mix(long, long...)}: the same batches come out whatever the
 * number of worker threads. Each transform keeps its random draw ({@code sample}) apart from its
 * application ({@code apply}), so tests can fix the draws.
 */
package org.selfsup4j.augment;
