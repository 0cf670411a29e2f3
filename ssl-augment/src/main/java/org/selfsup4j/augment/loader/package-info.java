/**
 * A multi-threaded batch loader with a bounded prefetch window and ordered output
 * ({@link org.selfsup4j.augment.loader.BatchLoader}): batch k holds the same samples in the same order
 * whatever the number of workers; a failure in a worker reaches the consumer promptly with the index
 * of the sample; {@code close()} stops and joins every thread.
 */
package org.selfsup4j.augment.loader;
