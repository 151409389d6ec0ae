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

# Blosc, zarr-python 2's default compressor (lz4, clevel 5, byte shuffle), then every inner codec
# with no, byte and bit shuffle over dtypes of several sizes, clevels 0 (memcpyed frames) to 9, and
# shapes that leave partial edge chunks. Chunks of 40x37 elements hold enough bytes per block for
# Blosc to split blocks into per-byte streams; the forced 1 KiB blocksize leaves a short last block.
e = root.create_dataset("blosc/default", shape=(45, 50), chunks=(20, 30), dtype="<f4")
assert e.compressor == Blosc(), e.compressor
e[...] = (np.arange(45 * 50).reshape(45, 50) * 0.25).astype("<f4")
record("blosc/default", e)
DTYPES = ["<f8", "<i2", "<f4", "|u1", ">i4", "<i8"]
LEVELS = [1, 5, 9, 0]
case = 0
from numcodecs import blosc as _blosc
for cname in _blosc.list_compressors():
    for shuffle, sname in [(Blosc.NOSHUFFLE, "noshuffle"), (Blosc.SHUFFLE, "shuffle"),
                           (Blosc.BITSHUFFLE, "bitshuffle")]:
        dt = DTYPES[case % len(DTYPES)]
        level = LEVELS[case % len(LEVELS)]
        blocksize = 1024 if case % 3 == 1 else 0
        case += 1
        name = "blosc/%s_%s_%s_l%d%s" % (cname, sname, np.dtype(dt).str.replace("<", "le").replace(
            ">", "be").replace("|", ""), level, "_b1k" if blocksize else "")
        z = root.create_dataset(name, shape=(83, 61), chunks=(40, 37), dtype=dt,
                                compressor=Blosc(cname=cname, clevel=level, shuffle=shuffle,
                                                 blocksize=blocksize))
        if np.dtype(dt).kind == "f":
            # Smooth values with noise: compressible, yet every byte position varies.
            v = np.sin(np.arange(83 * 61) / 50.0) * 100 + rng.standard_normal(83 * 61)
        else:
            info = np.iinfo(dt)
            v = (np.arange(83 * 61) * 7 // 3) % (int(info.max) - int(info.min)) + int(info.min)
            v[::50] = rng.integers(info.min, info.max, len(v[::50]), endpoint=True)
        z[...] = v.reshape(83, 61).astype(dt)
        record(name, z)
# Frames of several blocks: blosclz and snappy split full blocks into one stream per byte of the
# element (blocks of 64 KiB and more), never the short last block; lz4 and zstd blocks of 128 and
# 256 KiB; the zstd+bitshuffle chunk's last block holds a number of elements that is not a multiple
# of 8, which Blosc leaves untransposed.
for name, dt, shape, chunks, comp in [
        ("blosc/blosclz_split_f8", "<f8", (230, 150), (100, 100), Blosc("blosclz", 5, Blosc.SHUFFLE, 8192)),
        ("blosc/snappy_split_i4", "<i4", (260, 140), (130, 130), Blosc("snappy", 7, Blosc.SHUFFLE, 16384)),
        ("blosc/lz4_multiblock_f4", "<f4", (700, 300), (500, 200), Blosc("lz4", 5, Blosc.SHUFFLE, 65536)),
        ("blosc/zstd_bitshuffle_multiblock_f4", "<f4", (600, 250), (499, 201),
         Blosc("zstd", 5, Blosc.BITSHUFFLE))]:
    z = root.create_dataset(name, shape=shape, chunks=chunks, dtype=dt, compressor=comp)
    n = shape[0] * shape[1]
    z[...] = (np.sin(np.arange(n) / 300.0) * 1000 + (np.arange(n) % 7)).reshape(shape).astype(dt)
    record(name, z)

f = root.create_dataset("int16_raw_f_slash", shape=(13, 6), chunks=(5, 4), dtype=">i2",
                        compressor=None, order="F", dimension_separator="/", fill_value=-3)
f[0:10, 0:4] = rng.integers(-30000, 30000, (10, 4), dtype="<i2")  # other chunks stay unwritten
record("int16_raw_f_slash", f)

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
