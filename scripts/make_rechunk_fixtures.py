#!/usr/bin/python3
"""Fixtures for the rechunk tests, written by independent libraries (h5py, netCDF4, zarr-python 2).

Usage: make_rechunk_fixtures.py OUT_DIR

Writes OUT_DIR/series.h5 (HDF5, chunked, gzip, fill value, shapes not multiples of chunks, several
dtypes), OUT_DIR/series.nc (NetCDF4, a time series chunked one step per chunk), OUT_DIR/series.zarr
(Zarr v2, two arrays) and, per dataset, OUT_DIR/expected/<file>/<dataset>.bin: the values as the writing
library reads them back, little-endian, row-major (what a rechunk must reproduce value by value).
"""
import os
import sys

import h5py
import netCDF4
import numpy as np
import zarr

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(16)


def expect(file, name, values):
    d = os.path.join(out, "expected", file)
    os.makedirs(d, exist_ok=True)
    arr = np.ascontiguousarray(values)
    arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(d, name + ".bin"))


with h5py.File(os.path.join(out, "series.h5"), "w") as f:
    # A time series chunked one step per chunk, to be rechunked into long series of small tiles.
    t = rng.standard_normal((37, 23, 19)).astype("<f4")
    f.create_dataset("temperature", data=t, chunks=(1, 23, 19), compression="gzip")
    # Integers with a fill value and a region never written (h5py reads it as the fill value).
    d = f.create_dataset("counts", shape=(29, 31), dtype="<i4", chunks=(7, 8), fillvalue=-9)
    d[0:20, 0:25] = rng.integers(-1000, 1000, (20, 25), dtype="<i4")
    f.create_dataset("wide", data=rng.integers(0, 2**40, (13, 17), dtype="<i8"), chunks=(5, 6))
    f.create_dataset("small", data=rng.integers(0, 255, (41,), dtype="u1"), chunks=(10,))
    f.create_dataset("doubles", data=rng.standard_normal((11, 9, 7)), chunks=(4, 9, 3), shuffle=True)
with h5py.File(os.path.join(out, "series.h5"), "r") as f:
    for name in f:
        expect("series.h5", name, f[name][...])

with netCDF4.Dataset(os.path.join(out, "series.nc"), "w") as nc:
    nc.createDimension("time", None)
    nc.createDimension("lat", 18)
    nc.createDimension("lon", 36)
    v = nc.createVariable("tas", "f4", ("time", "lat", "lon"), zlib=True, chunksizes=(1, 18, 36))
    v.set_auto_maskandscale(False)
    v[0:24] = rng.standard_normal((24, 18, 36)).astype("f4")
with h5py.File(os.path.join(out, "series.nc"), "r") as f:
    expect("series.nc", "tas", f["tas"][...])

root = zarr.open_group(os.path.join(out, "series.zarr"), mode="w")
z = root.create_dataset("pressure", shape=(25, 14), chunks=(6, 5), dtype="<f8", fill_value=-1.5)
z[0:20, :] = rng.standard_normal((20, 14))
# Three dimensions whose chunks no target chunk of the tests nests with, a fill value and a corner
# never written (zarr-python reads it as the fill value).
z = root.create_dataset("field", shape=(23, 17, 29), chunks=(4, 6, 10), dtype="<f4", fill_value=7.25)
z[0:20, :, 0:25] = rng.standard_normal((20, 17, 25)).astype("<f4")
# Large enough (19 MB of target chunks of (48, 64, 64)) that a one-stage task opens its target
# chunks on every core; 40 time steps and 300 x 310 cells, so every target chunk is cut at an edge.
z = root.create_dataset("large", shape=(40, 300, 310), chunks=(1, 300, 310), dtype="<f4",
                        fill_value=-3.5, compressor=None)
z[:, :, 0:300] = rng.standard_normal((40, 300, 300)).astype("<f4")
written = zarr.open_group(os.path.join(out, "series.zarr"), mode="r")
expect("series.zarr", "large", written["large"][...])
expect("series.zarr", "pressure", written["pressure"][...])
expect("series.zarr", "field", written["field"][...])
