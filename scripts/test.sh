#!/usr/bin/env bash
# Runs every test: installs the test tools that are missing (Debian's h5py, netCDF4, zarr-python and
# pytest for fixtures made by independent libraries; Azurite from npm; the S3Proxy jar), then the Maven
# build with all tests (which also builds the Python wheel, python/dist), then the Python tests: the
# examples' and the package's (python/tests: the wheel in a fresh venv; the notebook on real PySpark
# where PySpark is importable, see python/tests/test_wheel.py). Test servers listen on 127.0.0.1 only: the ones named in
# ARRAYMORPH_TEST_* variables (see .ci/servers.sh) or, when those are unset, ones the tests start.
set -euo pipefail
cd "$(dirname "$0")/.."

export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=localhost
export AWS_EC2_METADATA_DISABLED=true

scripts/install-fixture-deps.sh
bash .ci/servers.sh install

mvn -B verify "$@"
/usr/bin/python3 -m pytest -q -rs examples/python python/tests
