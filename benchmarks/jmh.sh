#!/usr/bin/env bash
# Runs the JMH benchmarks of this module; arguments go to JMH as they are, e.g.
#   benchmarks/jmh.sh ScrubberBenchmark
#   benchmarks/jmh.sh ScrubberBenchmark -prof stack
#   benchmarks/jmh.sh -h                      (JMH's own options)
# Allocation per operation is always reported (-prof gc: gc.alloc.rate.norm, bytes/op) and the
# results are written to benchmarks/results/jmh-<date>.json.
# The jar is built when it is missing or older than the sources it measures; REBUILD=1 forces it.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
if [[ ! -f "$jar" || "${REBUILD:-0}" == 1 \
  || -n "$(find pom.xml benchmarks/pom.xml benchmarks/src autoconfigure/pom.xml autoconfigure/src/main \
            -newer "$jar" -print -quit 2>/dev/null)" ]]; then
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi

mkdir -p benchmarks/results
results="benchmarks/results/jmh-$(date +%Y%m%d-%H%M%S).json"
echo "JMH results: $results" >&2
exec java -jar "$jar" -prof gc -rf json -rff "$results" "$@"
