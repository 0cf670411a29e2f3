#!/usr/bin/env bash
# Data-parallel SimCLR steps on Spark local[1] / local[2] (with and without the barrier wake-up):
# steps/s, communication share, bytes per step (benchmarks/README.md, "Spark scale-out").
# Usage: benchmarks/scripts/spark_scaling.sh [out.md] [width|speech] [batch] [steps]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/cpu_env.sh
out="${1:-benchmarks/target/spark-scaling.md}"
shift || true
# the test-scope classpath holds the provided Spark jars too
mvn -B -ntp -q ${MVN_FLAGS:-} -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/scaling.classpath"
read -r -a opens <<< "$(sed -n 's:.*<spark.opens>\(.*\)</spark.opens>.*:\1:p' pom.xml)"
java -Xmx4g --add-modules jdk.incubator.vector -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "${opens[@]}" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/scaling.classpath)" \
  org.selfsup4j.benchmarks.SparkScaling "$out" "$@"
