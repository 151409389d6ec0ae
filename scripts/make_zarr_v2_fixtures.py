#!/usr/bin/python3
"""Writes Zarr v2 fixtures with the zarr-python library (Debian python3-zarr), plus h5py-independent
reference values, so ArrayMorph's Zarr v2 reader is checked against another implementation.

Usage: make_zarr_v2_fixtures.py OUT_DIR
Writes OUT_DIR/store (a Zarr v2 hierarchy), OUT_DIR/ref/<name>.bin (little-endian C-order values as
zarr-python reads them) and OUT_DIR/manifest.json (name -> dtype, shape, expected error)."""
import json
import os
import sys

import numpy as np
import zarr
from numcodecs import GZip, Zlib, Zstd, Blosc

out = sys.argv[1]
store_dir = os.path.join(out, "store")
ref_dir = os.path.join(out, "ref")
os.makedirs(ref_dir, exist_ok=True)
root = zarr.open_group(zarr.DirectoryStore(store_dir), mode="w")
rng = np.random.default_rng(42)
manifest = {}


def record(name, arr):
    data = arr[...]
    le = data.astype(data.dtype.newbyteorder("<"), copy=False)
    with open(os.path.join(ref_dir, name.replace("/", "_") + ".bin"), "wb") as f:
        f.write(np.ascontiguousarray(le).tobytes(order="C"))
    manifest[name] = {"dtype": data.dtype.str, "shape": list(data.shape)}


a = root.create_dataset("int32_zlib", shape=(37, 23), chunks=(10, 7), dtype="<i4",
                        compressor=Zlib(level=3), fill_value=-1)
a[0:20, 0:14] = np.arange(20 * 14, dtype="<i4").reshape(20, 14)  # other chunks stay unwritten
record("int32_zlib", a)

b = root.create_dataset("float64_be_gzip_f", shape=(11, 13, 5), chunks=(4, 5, 3), dtype=">f8",
                        compressor=GZip(level=5), order="F", fill_value=0.0)
b[...] = rng.standard_normal((11, 13, 5))
record("float64_be_gzip_f", b)

c = root.create_dataset("uint16_zstd_slash", shape=(100,), chunks=(16,), dtype="<u2",
                        compressor=Zstd(level=1), dimension_separator="/", fill_value=7)
c[:90] = rng.integers(0, 65535, 90, dtype="<u2")
record("uint16_zstd_slash", c)

d = root.create_dataset("bool_raw", shape=(9, 9), chunks=(4, 4), dtype="|b1", compressor=None)
d[...] = rng.integers(0, 2, (9, 9)).astype(bool)
record("bool_raw", d)

for dt in ["<i8", ">u8", "|i1", "|u1", "<f2", ">i2", "<u4"]:
    name = "t_" + dt.replace("<", "le_").replace(">", "be_").replace("|", "")
    z = root.create_dataset(name, shape=(17, 5), chunks=(8, 4), dtype=dt, compressor=Zlib(1))
    info = np.iinfo(dt) if np.dtype(dt).kind in "iu" else None
    if info is not None:
        z[...] = rng.integers(info.min, info.max, (17, 5), dtype=np.dtype(dt).newbyteorder("="),
                              endpoint=True)
    else:
        z[...] = rng.standard_normal((17, 5)).astype(dt)
    record(name, z)

g = root.create_group("climate")
g.attrs["title"] = "fixture group"
t = g.create_dataset("temperature", shape=(6, 8), chunks=(3, 3), dtype="<f4",
                     fill_value=float("nan"), compressor=Zstd(level=3))
t[0:3, :] = rng.standard_normal((3, 8)).astype("<f4")
t.attrs["_ARRAY_DIMENSIONS"] = ["lat", "lon"]
t.attrs["units"] = "K"
record("climate/temperature", t)

f = root.create_dataset("int16_raw_f_slash", shape=(13, 6), chunks=(5, 4), dtype=">i2",
                        compressor=None, order="F", dimension_separator="/", fill_value=-3)
f[0:10, 0:4] = rng.integers(-30000, 30000, (10, 4), dtype="<i2")  # other chunks stay unwritten
record("int16_raw_f_slash", f)

e = root.create_dataset("blosc_unsupported", shape=(4,), chunks=(4,), dtype="<i4",
                        compressor=Blosc())
e[...] = np.arange(4)
manifest["blosc_unsupported"] = {"error": "blosc"}

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
