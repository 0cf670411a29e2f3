/**
 * JMH benchmarks: loss kernels (forward + backward), optimizer steps, training steps. Build with
 * {@code mvn -B -pl benchmarks -am package -DskipTests} and run {@code java -jar benchmarks/target/benchmarks.jar};
 * the side-by-side PyTorch scripts are in {@code benchmarks/scripts/}. Figures: {@code benchmarks/README.md}.
 */
package org.selfsup4j.benchmarks;
