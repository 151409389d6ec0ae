#!/usr/bin/python3
"""Writes Zarr v3 fixtures straight from the Zarr v3 specification with numpy, numcodecs (gzip,
zstd, Blosc) and a CRC32C written here from its definition: a writer independent of ArrayMorph (Debian
has no zarr-python that writes the final v3 format). One array per codec, plus a sharded one;
some chunks are left unwritten so they read as the fill value.

Usage: make_zarr_v3_fixtures.py OUT_DIR
Writes OUT_DIR/store (a Zarr v3 hierarchy), OUT_DIR/ref/<name>.bin (little-endian C-order values
as numpy holds them) and OUT_DIR/manifest.json (name -> dtype, shape, chunk keys written)."""
import json
import math
import os
import sys

import numpy as np
from numcodecs import Blosc, GZip, Zstd

out = sys.argv[1]
store_dir = os.path.join(out, "store")
ref_dir = os.path.join(out, "ref")
os.makedirs(ref_dir, exist_ok=True)
manifest = {}


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def put(key, data):
    path = os.path.join(store_dir, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def encode(chunk, codecs):
    """Applies a codec chain (array->bytes first) to one chunk of values."""
    data = None
    for c in codecs:
        name, conf = c["name"], c.get("configuration", {})
        if name == "bytes":
            order = "<" if conf.get("endian", "little") == "little" else ">"
            data = np.ascontiguousarray(chunk.astype(chunk.dtype.newbyteorder(order))).tobytes()
        elif name == "gzip":
            data = GZip(level=conf["level"]).encode(data)
        elif name == "zstd":
            data = bytes(Zstd(level=conf["level"]).encode(data))
        elif name == "blosc":
            # numcodecs takes Blosc's typesize from the array it is given: the element size.
            shuffles = {"noshuffle": Blosc.NOSHUFFLE, "shuffle": Blosc.SHUFFLE,
                        "bitshuffle": Blosc.BITSHUFFLE}
            typed = np.frombuffer(data, dtype="u%d" % conf["typesize"])
            data = bytes(Blosc(cname=conf["cname"], clevel=conf["clevel"],
                               shuffle=shuffles[conf["shuffle"]],
                               blocksize=conf["blocksize"]).encode(typed))
        elif name == "crc32c":
            data = data + crc32c(data).to_bytes(4, "little")
        else:
            raise ValueError(name)
    return bytes(data)


def padded(values, lo, chunk_shape, fill):
    """The chunk at lo, edge chunks padded with the fill value as the spec stores them."""
    chunk = np.full(chunk_shape, fill, dtype=values.dtype)
    sl = tuple(slice(l, min(l + c, s)) for l, c, s in zip(lo, chunk_shape, values.shape))
    part = values[sl]
    chunk[tuple(slice(0, n) for n in part.shape)] = part
    return chunk


def grid(shape, chunk_shape):
    return np.ndindex(*[math.ceil(s / c) for s, c in zip(shape, chunk_shape)])


def write_array(name, values, chunk_shape, codecs, fill, written, dims=None, shard=None):
    """values: what a reader must see (unwritten cells already hold fill); written(idx) says
    whether the chunk (or inner chunk when sharded) at grid index idx is stored."""
    fill_json = "NaN" if isinstance(fill, float) and math.isnan(fill) else fill
    meta = {
        "zarr_format": 3,
        "node_type": "array",
        "shape": list(values.shape),
        "data_type": values.dtype.name,
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": list(chunk_shape)}},
        "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
        "fill_value": fill_json,
        "codecs": codecs,
        "attributes": {"written_by": "make_zarr_v3_fixtures.py"},
    }
    if dims:
        meta["dimension_names"] = dims
    keys = []
    for idx in grid(values.shape, chunk_shape):
        lo = [i * c for i, c in zip(idx, chunk_shape)]
        if shard is None:
            if not written(idx):
                continue
            data = encode(padded(values, lo, chunk_shape, fill), codecs)
        else:
            data = encode_shard(values, lo, chunk_shape, shard, fill, written)
            if data is None:
                continue
        key = "c/" + "/".join(str(i) for i in idx)
        put(name + "/" + key, data)
        keys.append(key)
    put(name + "/zarr.json", json.dumps(meta, indent=2).encode())
    ref = np.ascontiguousarray(values.astype(values.dtype.newbyteorder("<")))
    with open(os.path.join(ref_dir, name + ".bin"), "wb") as f:
        f.write(ref.tobytes(order="C"))
    manifest[name] = {"dtype": ref.dtype.str, "shape": list(values.shape), "chunks": keys}


def encode_shard(values, lo, shard_shape, conf, fill, written):
    """A shard: the inner chunks, then the index (offset, nbytes per inner chunk) at the end."""
    inner_shape = conf["chunk_shape"]
    shard = padded(values, lo, shard_shape, fill)
    body = b""
    index = []
    any_written = False
    for inner in grid(shard_shape, inner_shape):
        ilo = [i * c for i, c in zip(inner, inner_shape)]
        absolute = tuple((l + i) // c for l, i, c in zip(lo, ilo, inner_shape))
        if not written(absolute):
            index += [2**64 - 1, 2**64 - 1]
            continue
        any_written = True
        data = encode(padded(shard, ilo, inner_shape, fill), conf["codecs"])
        index += [len(body), len(data)]
        body += data
    if not any_written:
        return None
    grid_shape = [s // c for s, c in zip(shard_shape, inner_shape)]
    idx = np.array(index, dtype="<u8").reshape(grid_shape + [2])
    return body + encode(idx, conf["index_codecs"])


def with_unwritten(values, chunk_shape, fill, written):
    out = values.copy()
    for idx in grid(values.shape, chunk_shape):
        if not written(idx):
            out[tuple(slice(i * c, (i + 1) * c) for i, c in zip(idx, chunk_shape))] = fill
    return out


rng = np.random.default_rng(7)
little = {"name": "bytes", "configuration": {"endian": "little"}}

# No compression; chunks (3, *) never written read as -1; named dimensions.
skip = lambda idx: not (idx[0] == 3 and idx[1] >= 2)
v = np.arange(37 * 23, dtype="<i4").reshape(37, 23) - 400
write_array("none_i4", with_unwritten(v, (10, 7), -1, skip), (10, 7), [little], -1, skip,
            dims=["y", "x"])

# gzip; NaN fill where chunk (0, 1) and (2, 2) are missing.
skip = lambda idx: idx not in [(0, 1), (2, 2)]
v = rng.standard_normal((11, 13)).astype("<f8")
write_array("gzip_f8", with_unwritten(v, (4, 5), float("nan"), skip), (4, 5),
            [little, {"name": "gzip", "configuration": {"level": 5}}], float("nan"), skip)

# zstd, big-endian bytes.
v = rng.integers(0, 65535, size=(30, 17), dtype="<u2")
write_array("zstd_u2_be", v, (8, 8),
            [{"name": "bytes", "configuration": {"endian": "big"}},
             {"name": "zstd", "configuration": {"level": 3, "checksum": False}}], 0, lambda i: True)

# crc32c checksum after the bytes.
v = rng.integers(-2**40, 2**40, size=(9, 10), dtype="<i8")
write_array("crc32c_i8", v, (4, 4), [little, {"name": "crc32c"}], 0, lambda i: True)

# Blosc, the codec zarr-python 3 writes by default (zstd, byte shuffle, typesize of the element);
# chunk (1, 0) is missing and reads as the fill value.
skip = lambda idx: idx != (1, 0)
v = rng.standard_normal((13, 11)).astype("<f4")
write_array("blosc_zstd_f4", with_unwritten(v, (6, 5), np.float32(-2.5), skip), (6, 5),
            [little, {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 5,
                                                         "shuffle": "shuffle", "typesize": 4,
                                                         "blocksize": 0}}], -2.5, skip)

# Blosc lz4 with bit shuffle over big-endian int16 bytes.
v = rng.integers(-30000, 30000, size=(20, 9), dtype="<i2")
write_array("blosc_lz4_i2_be", v, (7, 9),
            [{"name": "bytes", "configuration": {"endian": "big"}},
             {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 9,
                                                 "shuffle": "bitshuffle", "typesize": 2,
                                                 "blocksize": 0}}], 0, lambda i: True)

# Sharded: shards of 10x9 holding 5x3 gzip inner chunks, index at the end with a crc32c;
# inner chunk (1, 1) is missing and reads as the fill value 0.5.
skip = lambda idx: idx != (1, 1)
v = rng.standard_normal((20, 18)).astype("<f4")
sharding = {
    "name": "sharding_indexed",
    "configuration": {
        "chunk_shape": [5, 3],
        "codecs": [little, {"name": "gzip", "configuration": {"level": 1}}],
        "index_codecs": [little, {"name": "crc32c"}],
        "index_location": "end",
    },
}
write_array("sharded_f4", with_unwritten(v, (5, 3), np.float32(0.5), skip), (10, 9), [sharding],
            0.5, skip, shard=sharding["configuration"])

# Sharded, inner chunks stored uncompressed as big-endian bytes: long series at each point (shards
# 200x4x3 of inner chunks 200x1x1), index at the end with a crc32c; inner chunk (1, 2, 1) is missing
# and reads as the fill value -7. A reader may fetch byte ranges inside the inner chunks.
skip = lambda idx: idx != (1, 2, 1)
v = (np.arange(400 * 4 * 3, dtype="<i4").reshape(400, 4, 3) * 37) - 20000
sharding = {
    "name": "sharding_indexed",
    "configuration": {
        "chunk_shape": [200, 1, 1],
        "codecs": [{"name": "bytes", "configuration": {"endian": "big"}}],
        "index_codecs": [little, {"name": "crc32c"}],
        "index_location": "end",
    },
}
write_array("sharded_raw_i4_be", with_unwritten(v, (200, 1, 1), -7, skip), (200, 4, 3),
            [sharding], -7, skip, shard=sharding["configuration"])

put("zarr.json", json.dumps({"zarr_format": 3, "node_type": "group", "attributes": {}}).encode())
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
