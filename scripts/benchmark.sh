#!/usr/bin/env bash
# Runs issue #6's benchmark suite and writes docs/benchmarks.md (about 10-15 minutes on 2 cores).
#   scripts/benchmark.sh [--reps N] [--warmups N] [--skip core,publish,planning,hdf5,spark,spark-reads,spark-writes,rechunk] [--out FILE]
# Only the Spark write rows (vs Parquet): --skip core,publish,planning,hdf5,spark-reads,rechunk --out /tmp/writes.md
# Only the Spark read rows (the arrays written once, untimed): --skip core,publish,planning,hdf5,spark-writes,rechunk
# Builds the benchmarks module and what it needs (no install into ~/.m2), then runs
# io.arraymorph.bench.BenchmarkSuite, which starts S3Proxy with its filesystem backend under
# benchmarks/target/bench on 127.0.0.1 (the jar comes from Maven Central with the build), a counting
# relay on 127.0.0.1, and Spark local[2] bound to 127.0.0.1. Nothing talks to any other address.
# HDF5 workloads need Debian's h5py (/usr/bin/python3); it is installed when missing and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=localhost
export AWS_EC2_METADATA_DISABLED=true

if ! /usr/bin/python3 -c 'import h5py' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -q && apt-get -o DPkg::Lock::Timeout=300 install -y -q python3-h5py
  else
    echo "python3-h5py is missing: the HDF5 workload will be skipped" >&2
  fi
fi

start=$(date +%s)
mvn -B -q -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

# Java 17 module flags Spark needs (org.apache.spark.launcher.JavaModuleOptions).
OPENS=(-XX:+IgnoreUnrecognizedVMOptions)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
  sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
OPENS+=(--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

java -Xmx12g -XX:+UseParallelGC "${OPENS[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" io.arraymorph.bench.BenchmarkSuite --command "scripts/benchmark.sh $*" "$@"
echo "benchmark.sh: total $(( $(date +%s) - start )) s (build included)"
