package org.selfsup4j.losses;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.api.buffer.DataType;

/** Every golden case of a fixture file once in float64 and once in float32: one parameterized test per loss. */
final class FixtureRuns {
    private FixtureRuns() {
    }

    /** Arguments (case, data type), float64 first. */
    static Stream<Arguments> inBothTypes(String file) {
        return LossTesting.load(file).stream()
                .flatMap(c -> Stream.of(Arguments.of(c, DataType.DOUBLE), Arguments.of(c, DataType.FLOAT)));
    }

    /** The tolerance for a data type: {@code float64} for float64 inputs, else {@code float32}. */
    static double tolerance(DataType type, double float64, double float32) {
        return type == DataType.DOUBLE ? float64 : float32;
    }
}
