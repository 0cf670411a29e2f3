package org.selfsup4j.spark;

/** {@link SparkEquivalenceTest} on {@code local[3]}: 4 samples per worker. */
class SparkLocal3Test extends SparkEquivalenceTest {
    @Override
    int workers() {
        return 3;
    }
}
