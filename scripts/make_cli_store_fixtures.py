#!/usr/bin/python3
"""Small HDF5 and NetCDF4 files for the command-line tool's tests on each store, written by h5py and
netCDF4-python, and their values as the writing library reads them back.

Usage: make_cli_store_fixtures.py OUT_DIR

Writes OUT_DIR/sample.h5 (h5py): `grid/temperature` float32 (9, 10, 11), chunks (4, 5, 3), gzip with
shuffle; `counts` int32 (17, 13), chunks (5, 4), fill value -9, only [0:12, 0:9] written.
OUT_DIR/sample.nc (netCDF4-python): `tas(time, lat, lon)` float32 (6, 5, 7), time unlimited, chunks
(2, 5, 7), zlib, attribute units = "K". Per dataset, OUT_DIR/expected/<file>/<dataset with / as __>.bin:
the values C-order little-endian, as h5py / netCDF4-python read them back.
"""
import os
import sys

import h5py
import netCDF4
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1408)


def expect(file, name, values):
    d = os.path.join(out, "expected", file)
    os.makedirs(d, exist_ok=True)
    arr = np.ascontiguousarray(values)
    arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(d, name.replace("/", "__") + ".bin"))


with h5py.File(os.path.join(out, "sample.h5"), "w") as f:
    f.create_dataset("grid/temperature", data=rng.standard_normal((9, 10, 11)).astype("<f4"),
                     chunks=(4, 5, 3), compression="gzip", shuffle=True)
    d = f.create_dataset("counts", shape=(17, 13), dtype="<i4", chunks=(5, 4), fillvalue=-9)
    d[0:12, 0:9] = rng.integers(-1000, 1000, (12, 9), dtype="<i4")
with h5py.File(os.path.join(out, "sample.h5"), "r") as f:
    expect("sample.h5", "grid/temperature", f["grid/temperature"][...])
    expect("sample.h5", "counts", f["counts"][...])

with netCDF4.Dataset(os.path.join(out, "sample.nc"), "w") as nc:
    nc.createDimension("time", None)
    nc.createDimension("lat", 5)
    nc.createDimension("lon", 7)
    v = nc.createVariable("tas", "f4", ("time", "lat", "lon"), zlib=True, chunksizes=(2, 5, 7))
    v.units = "K"
    v.set_auto_maskandscale(False)
    v[0:6] = (280 + 10 * rng.standard_normal((6, 5, 7))).astype("f4")
with netCDF4.Dataset(os.path.join(out, "sample.nc"), "r") as nc:
    nc.set_auto_maskandscale(False)
    expect("sample.nc", "tas", nc["tas"][...])
