package org.selfsup4j.spark;

/** {@link SparkEquivalenceTest} on {@code local[2]}: 6 samples per worker. */
class SparkLocal2Test extends SparkEquivalenceTest {
    @Override
    int workers() {
        return 2;
    }
}
