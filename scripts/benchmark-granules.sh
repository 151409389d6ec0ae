#!/usr/bin/env bash
# Issue 16's granule collection benchmark: xarray open_mfdataset vs format("arraymorph") over CF NetCDF4
# granules (8 x 90 x 180 float32, chunks (1, 90, 180), zlib), workloads open / point time series /
# box mean by time step / one month of the full field, answers checked against xarray's.
#   scripts/benchmark-granules.sh [--files 500,2000,10000] [--stores local,s3] [--open-only 10000]
#                                 [--reps N] [--out FILE]
# Sizes listed in --open-only (default 10000, the size of issue 16's open target) run the open workload
# only (xarray, over the files, over the manifest; no rechunk); --open-only none runs everything.
# Granules are generated once per size with Debian's netCDF4-python and cached under
# benchmarks/target/granules/<N>/. Each run also builds, and times, a manifest of the granules
# (<N>.manifest, "index" row) and a store rechunked from it into chunks (all times, 15, 15)
# (<N>.rechunked.zarr, "rechunk" row), and runs the workloads over both, on each store named:
# "local" (the generated files) and "s3" (a filesystem-backed S3Proxy on 127.0.0.1 under
# benchmarks/target/granules/s3proxy, the granules uploaded once). Default: local.
# MVN_FLAGS=-o builds offline. --files 500,2000 took about 17 min from nothing on 2 cores shared with a CI
# run (about 7 min of it generating the granules, cached for later runs, and running xarray).
set -euo pipefail
cd "$(dirname "$0")/.."

export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=localhost
export AWS_EC2_METADATA_DISABLED=true

FILES=500,2000,10000
REPS=3
STORES=local
OPEN_ONLY=10000
OUT=benchmarks/target/granules.md
while [ $# -gt 0 ]; do
  case "$1" in
    --files) FILES=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --stores) STORES=$2; shift 2 ;;
    --open-only) OPEN_ONLY=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

PAIRS=()
for n in ${FILES//,/ }; do
  dir="benchmarks/target/granules/$n"
  /usr/bin/python3 scripts/granule_bench.py generate "$dir" "$n"
  only=""
  case ",$OPEN_ONLY," in *",$n,"*) only=open ;; esac
  /usr/bin/python3 scripts/granule_bench.py xarray "$dir" "$dir.xarray.json" $only 2>/dev/null
  PAIRS+=("$(pwd)/$dir=$dir.xarray.json")
done

OPENS=(-XX:+IgnoreUnrecognizedVMOptions)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
  sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
OPENS+=(--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

java -Xmx4g "${OPENS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" io.arraymorph.bench.GranuleBench --out "$OUT" --reps "$REPS" --stores "$STORES" \
  "${PAIRS[@]}"
