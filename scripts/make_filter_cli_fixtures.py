#!/usr/bin/python3
"""Small files in the formats real data uses, for the command-line tool's tests: a Zarr v2 array with
zarr-python 2's default compressor (Blosc lz4 + byte shuffle) and an HDF5 file with Blosc (32001),
scaleoffset (6), nbit (5) and szip (4) datasets written by h5py/libhdf5. Values follow formulas the
tests check: temp[i, j] = i * 10 + j + 0.5; blosc[i, j] = i * 100 + j; scaleoffset[i, j] =
i * 100 - j; nbit[i, j] = i * 10 - j * 7 (12-bit signed); szip[i, j] = i * 1000 - j * 3 (float64).

Usage: make_filter_cli_fixtures.py OUT_DIR"""
import os
import sys

import h5py
import hdf5plugin
import numpy as np
import zarr
from h5py import h5d, h5p, h5s, h5t, h5z

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
i, j = np.mgrid[0:6, 0:5]
z = zarr.open_array(os.path.join(out, "v2.zarr"), mode="w", shape=(6, 5), chunks=(4, 3), dtype="<f4")
assert z.compressor.codec_id == "blosc"
z[...] = (i * 10 + j + 0.5).astype("f4")

with h5py.File(os.path.join(out, "filters.h5"), "w") as f:
    f.create_dataset("blosc", data=(i * 100 + j).astype("f8"), chunks=(4, 3),
                     **hdf5plugin.Blosc(cname="zstd", clevel=5, shuffle=hdf5plugin.Blosc.BITSHUFFLE))
    f.create_dataset("szip", data=(i * 1000 - j * 3).astype("f8"), chunks=(4, 3),
                     compression="szip", compression_opts=("nn", 8))
    f.create_dataset("scaleoffset", data=(i * 100 - j).astype("i4"), chunks=(4, 3), scaleoffset=0)
    tid = h5t.STD_I16LE.copy()
    tid.set_precision(12)
    dcpl = h5p.create(h5p.DATASET_CREATE)
    dcpl.set_chunk((4, 3))
    dcpl.set_filter(h5z.FILTER_NBIT, h5z.FLAG_OPTIONAL)
    d = h5d.create(f.id, b"nbit", tid, h5s.create_simple((6, 5)), dcpl=dcpl)
    d.write(h5s.ALL, h5s.ALL, np.ascontiguousarray((i * 10 - j * 7).astype("i2")))
