#!/usr/bin/python3
"""Writes datasets in the ArrayMorph HDF5 plugin's (C++) layout: <dataset>/meta, packed as its toBuffer
does, with the element type recorded as the HDF5 handle of a native type taken from the installed libhdf5,
and raw C-order chunks at <dataset>/<n> (n the row-major chunk index; edge chunks full size).

Usage: make_legacy_fixtures.py OUT_DIR
Writes OUT_DIR/store/file.h5/<name>/..., OUT_DIR/ref/<name>.bin (little-endian values) and
OUT_DIR/manifest.json."""
import ctypes
import json
import os
import struct
import sys

import numpy as np

out = sys.argv[1]
lib = ctypes.CDLL("libhdf5_serial.so.103")
lib.H5open()


def native(name):
    return ctypes.c_int64.in_dll(lib, "H5T_NATIVE_%s_g" % name).value


TYPES = {"INT": "<i4", "UINT": "<u4", "SHORT": "<i2", "USHORT": "<u2", "SCHAR": "|i1",
         "UCHAR": "|u1", "LLONG": "<i8", "ULLONG": "<u8", "LONG": "<i8", "FLOAT": "<f4",
         "DOUBLE": "<f8"}
rng = np.random.default_rng(7)
manifest = {}
os.makedirs(os.path.join(out, "ref"), exist_ok=True)


def write(name, hdf5_type, shape, chunks, skip_chunk=None, type_id=None):
    dtype = np.dtype(TYPES[hdf5_type])
    if dtype.kind == "f":
        data = rng.standard_normal(shape).astype(dtype)
    else:
        info = np.iinfo(dtype)
        data = rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
    grid = [(s + c - 1) // c for s, c in zip(shape, chunks)]
    base = os.path.join(out, "store", "file.h5", name)
    os.makedirs(base, exist_ok=True)
    uri = "file.h5/" + name
    tid = native(hdf5_type) if type_id is None else type_id
    meta = struct.pack("<i", len(name)) + name.encode() + struct.pack("<i", len(uri)) + uri.encode()
    meta += struct.pack("<qi", tid, len(shape))
    meta += struct.pack("<%dQ" % len(shape), *shape) + struct.pack("<%dQ" % len(shape), *chunks)
    meta += struct.pack("<i", int(np.prod(grid)))
    with open(os.path.join(base, "meta"), "wb") as f:
        f.write(meta)
    expected = data.copy()
    for n, idx in enumerate(np.ndindex(*grid)):
        sl = tuple(slice(i * c, min((i + 1) * c, s)) for i, c, s in zip(idx, chunks, shape))
        if n == skip_chunk:
            expected[sl] = 0  # never written: reads as zero
            continue
        chunk = np.zeros(chunks, dtype=dtype)
        part = data[sl]
        chunk[tuple(slice(0, p) for p in part.shape)] = part
        with open(os.path.join(base, str(n)), "wb") as f:
            f.write(chunk.tobytes(order="C"))
    with open(os.path.join(out, "ref", name + ".bin"), "wb") as f:
        f.write(expected.astype(dtype.newbyteorder("<")).tobytes(order="C"))
    manifest[name] = {"dtype": dtype.str, "shape": list(shape), "type_id": tid}


write("int32", "INT", (25, 17), (10, 5), skip_chunk=3)
write("float64", "DOUBLE", (9, 4, 6), (4, 4, 4))
for t in ["UINT", "SHORT", "USHORT", "SCHAR", "UCHAR", "LLONG", "ULLONG", "FLOAT"]:
    write(t.lower(), t, (33,), (8,))
write("unknown_type", "FLOAT", (4,), (4,), type_id=0x03000000000000ff)
manifest["unknown_type"]["unknown"] = True
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
