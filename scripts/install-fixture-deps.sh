#!/usr/bin/env bash
# Installs the Debian packages the test fixtures and Python tests need: real libhdf5 through h5py and
# netCDF4 (scripts/make_hdf5_fixtures.py), zarr-python (scripts/make_zarr_v2_fixtures.py), numpy,
# fsspec (scripts/check_kerchunk_refs.py), cftime (CF calendars), pytest and matplotlib (examples/python),
# pandas and xarray (python/tests: to_numpy/to_xarray), venv (python/tests installs the wheel in a venv),
# and hdf5-tools for h5dump when debugging fixtures.
# HDF5 plugin filters for the plugin_filters.h5 fixture: python3-hdf5plugin (h5py filter options) with
# the plugins Debian builds (hdf5-filter-plugin: lz4; bitshuffle: bitshuffle with lz4;
# hdf5-filter-plugin-blosc-serial: blosc) and python3-zstandard for the zstd chunks no Debian plugin writes.
# Installs only what is missing, since apt is slow; runs `apt-get update` at most once.
set -euo pipefail

packages=(python3-numpy python3-h5py python3-netcdf4 python3-cftime python3-zarr python3-fsspec python3-pytest
  python3-matplotlib hdf5-tools python3-hdf5plugin hdf5-filter-plugin bitshuffle hdf5-filter-plugin-blosc-serial
  python3-zstandard python3-pandas python3-xarray python3-dask python3-venv)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-fixture-deps: all present (${packages[*]})"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-fixture-deps: installing ${missing[*]}"
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"

# The fixture generator runs under Debian's interpreter, which may not be the python3 on PATH.
/usr/bin/python3 -c 'import h5py, hdf5plugin, bitshuffle, zstandard, netCDF4, cftime, fsspec, numpy, zarr, pytest, pandas, xarray, dask, venv; print("h5py", h5py.__version__, "netCDF4", netCDF4.__version__, "zarr", zarr.__version__)'
