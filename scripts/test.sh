#!/usr/bin/env bash
# Runs every test: installs the test tools that are missing (Debian's h5py, netCDF4, zarr-python and
# pytest for fixtures made by independent libraries; Azurite from npm; the S3Proxy jar), then the Maven
# build with all tests, then the Python tests. Test servers listen on 127.0.0.1 only: the ones named in
# ARRAYMORPH_TEST_* variables (see .ci/servers.sh) or, when those are unset, ones the tests start.
set -euo pipefail
cd "$(dirname "$0")/.."

export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=localhost
export AWS_EC2_METADATA_DISABLED=true

need=()
for pkg in python3-h5py python3-netcdf4 python3-zarr python3-pytest hdf5-tools; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${need[*]}; install them (as root: apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -q
  apt-get -o DPkg::Lock::Timeout=300 install -y -q "${need[@]}"
fi
bash .ci/servers.sh install

mvn -B verify "$@"
/usr/bin/python3 -m pytest -q examples/python
