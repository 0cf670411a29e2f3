package org.selfsup4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings the step and kernel benchmarks share, declared once (JMH's annotations are
 * inherited, as in its sample {@code JMHSample_24_Inheritance}): per-thread state, average time in
 * milliseconds, one fork with a 4 GB heap and the Vector API, 3 warmup and 5 measured iterations of
 * 2 s. A subclass that needs otherwise re-declares only the annotation that differs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class AverageTimeBenchmark {
    /** For subclasses. */
    protected AverageTimeBenchmark() {
    }
}
