#!/usr/bin/python3
"""Writes HDF5 and NetCDF4 test fixtures with real libhdf5 (Debian h5py / netCDF4).

Usage: /usr/bin/python3 scripts/make_hdf5_fixtures.py OUTPUT_DIR

For every readable dataset the script also writes the values h5py reads back, as raw little-endian
bytes in C order (`<file>__<path>.bin`), and describes everything in `manifest.json`, so the Java tests
compare every element against libhdf5 rather than against expectations written by hand.

Install the packages with scripts/install-fixture-deps.sh. Output is deterministic (fixed seeds).
"""

import ctypes
import json
import os
import sys

import h5py
import hdf5plugin  # noqa: F401 - registers the plugin filters (Debian: python3-hdf5plugin)
import numpy as np
from h5py import h5d, h5f, h5p, h5s, h5t, h5z

RNG = np.random.default_rng(20251122)

# Zarr v3 names of the numpy dtypes the Java side supports (io.arraymorph.array.DataType).
ZARR_NAMES = {
    "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64",
    "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
    "f2": "float16", "f4": "float32", "f8": "float64",
}


def values(shape, dtype):
    """Deterministic values that use the whole range of the type (sign bits, high bytes)."""
    dt = np.dtype(dtype)
    n = int(np.prod(shape)) if len(shape) else 1
    if dt.kind == "f":
        a = RNG.standard_normal(n) * 1000.0
    else:
        info = np.iinfo(dt)
        a = RNG.integers(info.min, info.max, size=n, endpoint=True, dtype=dt.newbyteorder("="))
    return a.astype(dt).reshape(shape)


class Manifest:
    def __init__(self, out):
        self.out = out
        self.files = {}

    def record(self, fname, dset, dims=None, expect=None, data=None):
        """Reads `dset` back through h5py and stores its reference bytes and metadata.

        `data` replaces the read-back only for chunks this script encoded itself because Debian's
        libhdf5 has no plugin to decode them (see plugin_filters_file)."""
        if data is None:
            data = dset[()]
        arr = np.asarray(data)
        le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        ref = fname + "__" + dset.name.strip("/").replace("/", "__") + ".bin"
        with open(os.path.join(self.out, ref), "wb") as f:
            f.write(np.ascontiguousarray(le).tobytes(order="C"))
        fill = dset.fillvalue
        layout = dset.id.get_create_plist().get_layout()
        entry = {
            "path": dset.name,
            "shape": list(dset.shape),
            "dtype": ZARR_NAMES[arr.dtype.str[1:]],
            "big_endian": dset.dtype.byteorder == ">",
            "chunks": list(dset.chunks) if dset.chunks else None,
            "layout": {h5d.COMPACT: "compact", h5d.CONTIGUOUS: "contiguous", h5d.CHUNKED: "chunked"}[layout],
            "compression": dset.compression,
            "shuffle": bool(dset.shuffle),
            "fletcher32": bool(dset.fletcher32),
            # Registered ids in pipeline order (plugin filters have no h5py `compression` name).
            "filter_ids": filter_ids(dset),
            "fill_value": None if fill is None else (repr(float(fill)) if arr.dtype.kind == "f" else int(fill)),
            "allocated_chunks": allocated_chunks(dset),
            # libhdf5 1.10's H5Dget_chunk_info gives addresses without the user block.
            "chunk_index": chunk_index(dset),
            "userblock": int(dset.file.userblock_size),
            # libhdf5's H5Dget_offset (user block included): where contiguous data starts, None if unallocated.
            "data_offset": dset.id.get_offset() if layout == h5d.CONTIGUOUS else None,
            "ref": ref,
        }
        if dims is not None:
            entry["dimension_names"] = dims
        if expect:
            entry.update(expect)
        self.entries(fname)["datasets"].append(entry)

    def entries(self, fname):
        return self.files.setdefault(fname, {"datasets": [], "unsupported": [], "typed": []})

    def typed(self, fname, dset, kind, values, dims=None, **extra):
        """A string, compound or enum dataset: h5py's decoded values as JSON (lists in C order).

        `values` is a list of strings (strings), of labels or None (enums; `codes` holds the integer
        codes h5py reads), of {member: value} dicts (compounds; nested compounds are dicts too, array
        members lists), of lists (array types, nested for more dimensions) or of booleans (bool).
        """
        layout = dset.id.get_create_plist().get_layout()
        entry = {
            "path": dset.name,
            "kind": kind,
            "shape": list(dset.shape),
            "chunks": list(dset.chunks) if dset.chunks else None,
            "layout": {h5d.COMPACT: "compact", h5d.CONTIGUOUS: "contiguous", h5d.CHUNKED: "chunked"}[layout],
            # Bytes per stored element; None with variable-length strings (h5py gives in-memory sizes).
            "element_size": None if dset.dtype.hasobject else int(dset.id.get_type().get_size()),
            "allocated_chunks": allocated_chunks(dset),
            "values": values,
        }
        if dims is not None:
            entry["dimension_names"] = dims
        entry.update(extra)
        self.entries(fname)["typed"].append(entry)

    def unsupported(self, fname, path, feature):
        self.entries(fname)["unsupported"].append({"path": path, "feature": feature})

    def write(self):
        with open(os.path.join(self.out, "manifest.json"), "w") as f:
            json.dump({"h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version,
                       "files": self.files}, f, indent=1, sort_keys=True)


def filter_ids(dset):
    dcpl = dset.id.get_create_plist()
    return [int(dcpl.get_filter(i)[0]) for i in range(dcpl.get_nfilters())]


def allocated_chunks(dset):
    """How many chunks libhdf5 says are stored, or None for non-chunked layouts."""
    if dset.chunks is None:
        return None
    try:
        return int(dset.id.get_num_chunks())
    except AttributeError:  # h5py built without the chunk query API
        return None


def chunk_index(dset):
    """libhdf5's own chunk index: [chunk coords..., byte offset, stored size, filter mask] per chunk.

    None for extensible arrays whose unlimited dimension is not the first: libhdf5 1.10.8's
    H5Dget_chunk_info and H5Dget_chunk_info_by_coord both misplace their chunks (its reads, and
    h5dump's, are right: the values are checked instead)."""
    n = allocated_chunks(dset)
    if n is None:
        return None
    unlimited = [i for i, m in enumerate(dset.maxshape) if m is None]
    if len(unlimited) == 1 and unlimited[0] > 0:
        return None
    out = []
    for i in range(n):
        info = dset.id.get_chunk_info(i)
        coords = [o // c for o, c in zip(info.chunk_offset, dset.chunks)]
        out.append(coords + [int(info.byte_offset), int(info.size), int(info.filter_mask)])
    return out


def add_attributes(node):
    node.attrs["title"] = "ArrayMorph fixture"
    node.attrs["int_scalar"] = np.int32(-42)
    node.attrs["float_scalar"] = 2.5
    node.attrs["int_array"] = np.arange(4, dtype="i8")
    node.attrs["float_array"] = np.array([0.5, 1.5], dtype="f4")


def classic_file(m, out):
    """Default libver: object headers v1, chunk index B-tree v1; every type, filter and layout."""
    fname = "classic.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        add_attributes(f)
        g = f.create_group("types")
        g.attrs["description"] = "one dataset per numeric type, edge chunks on both axes"
        for code in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"]:
            d = g.create_dataset(ZARR_NAMES[code], data=values((37, 23), code), chunks=(10, 7))
            m.record(fname, d)
        be = f.create_group("big_endian")
        for code in [">i2", ">i4", ">i8", ">u4", ">f4", ">f8"]:
            name = ZARR_NAMES[code[1:]] + "_be"
            d = be.create_dataset(name, data=values((19, 11), code), chunks=(8, 4), dtype=code)
            m.record(fname, d)
        d = be.create_dataset("float64_be_contiguous", data=values((9, 7), ">f8"), dtype=">f8")
        m.record(fname, d)

        flt = f.create_group("filters")
        base = values((64, 50), "i4")
        specs = {
            "gzip": dict(compression="gzip", compression_opts=6),
            "shuffle": dict(shuffle=True),
            "shuffle_gzip": dict(shuffle=True, compression="gzip"),
            "fletcher32": dict(fletcher32=True),
            "shuffle_gzip_fletcher32": dict(shuffle=True, compression="gzip", fletcher32=True),
            "lzf": dict(compression="lzf"),
            "shuffle_lzf": dict(shuffle=True, compression="lzf"),
        }
        for name, kw in specs.items():
            d = flt.create_dataset(name, data=base, chunks=(16, 20), **kw)
            m.record(fname, d)
        d = flt.create_dataset("gzip_float64_3d", data=values((9, 13, 17), "f8"), chunks=(4, 5, 6),
                               compression="gzip", shuffle=True)
        m.record(fname, d)
        # Highly compressible data, so some chunks compress and the deflate output is small.
        d = flt.create_dataset("gzip_zeros", data=np.zeros((40, 40), "u2"), chunks=(20, 20),
                               compression="gzip")
        m.record(fname, d)

        fill = f.create_group("fill")
        d = fill.create_dataset("partial", shape=(50, 40), dtype="i2", chunks=(10, 10), fillvalue=-7)
        d[0:10, 0:10] = values((10, 10), "i2")       # one whole chunk
        d[25:33, 17:22] = values((8, 5), "i2")       # parts of chunks (2,1), (2,2), (3,1), (3,2)
        d[45:50, 35:40] = values((5, 5), "i2")       # last corner chunk
        m.record(fname, d)
        d = fill.create_dataset("never_written", shape=(12, 12), dtype="f4", chunks=(5, 5),
                                fillvalue=np.nan)
        m.record(fname, d)
        d = fill.create_dataset("default_fill_gzip", shape=(30,), dtype="u8", chunks=(7,),
                                compression="gzip")
        d[8:13] = np.arange(5, dtype="u8") + (1 << 60)
        m.record(fname, d)

        lay = f.create_group("layout")
        d = lay.create_dataset("contiguous", data=values((300, 500), "f8"))
        m.record(fname, d)
        d = lay.create_dataset("contiguous_1d", data=values((1001,), "i2"))
        m.record(fname, d)
        d = lay.create_dataset("contiguous_unwritten", shape=(20, 3), dtype="i4", fillvalue=11)
        m.record(fname, d)
        d = lay.create_dataset("scalar", data=np.float64(3.25))
        m.record(fname, d)
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_layout(h5d.COMPACT)
        d = lay.create_dataset("compact", data=values((6, 5), "i2"), dcpl=dcpl)
        m.record(fname, d)
        d = lay.create_dataset("chunked_1d", data=values((1000,), "u4"), chunks=(128,))
        m.record(fname, d)
        d = lay.create_dataset("chunked_4d", data=values((5, 4, 3, 7), "i1"), chunks=(2, 3, 2, 4))
        m.record(fname, d)

        # The slicing test reads 10x10 out of this one and counts chunk requests.
        d = f.create_dataset("large", data=values((800, 600), "f4"), chunks=(64, 64), compression="gzip")
        add_attributes(d)
        m.record(fname, d, expect={"slice_test": True})


def latest_file(m, out):
    """libver='latest': object header v2 and the v4 layout message with every chunk index type."""
    fname = "latest.h5"
    with h5py.File(os.path.join(out, fname), "w", libver="latest") as f:
        add_attributes(f)
        # More than 8 attributes switch the group to dense attribute storage (fractal heap + B-tree v2).
        dense = f.create_group("dense_attributes")
        for i in range(20):
            dense.attrs["attr_%02d" % i] = np.int64(i * 1000)
        # Many links switch to dense link storage.
        links = f.create_group("many_links")
        for i in range(12):
            m.record(fname, links.create_dataset("d%02d" % i, data=np.full((3,), i, "i4")))

        idx = f.create_group("index")
        # Single chunk: chunk shape equals the (fixed) dataset shape.
        m.record(fname, idx.create_dataset("single_chunk", data=values((20, 30), "f4"), chunks=(20, 30)),
                 expect={"index": "single_chunk"})
        m.record(fname, idx.create_dataset("single_chunk_gzip", data=values((20, 30), "i8"), chunks=(20, 30),
                                           compression="gzip", shuffle=True), expect={"index": "single_chunk"})
        # Implicit: early allocation, no filter, fixed maximum shape.
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_chunk((6, 8))
        dcpl.set_alloc_time(h5d.ALLOC_TIME_EARLY)
        dcpl.set_fill_value(np.array(-1, "i4"))
        d = idx.create_dataset("implicit", shape=(20, 30), dtype="i4", dcpl=dcpl)
        d[0:12, 0:16] = values((12, 16), "i4")
        m.record(fname, d, expect={"index": "implicit"})
        # Fixed array, unpaged and paged (more than 1024 chunks are split into pages).
        m.record(fname, idx.create_dataset("fixed_array", data=values((45, 33), "u2"), chunks=(10, 10)),
                 expect={"index": "fixed_array"})
        m.record(fname, idx.create_dataset("fixed_array_gzip", data=values((45, 33), "f8"), chunks=(10, 10),
                                           compression="gzip"), expect={"index": "fixed_array"})
        d = idx.create_dataset("fixed_array_paged", shape=(400, 400), dtype="i2", chunks=(10, 10),
                               fillvalue=5)
        d[:200, :] = values((200, 400), "i2")
        m.record(fname, d, expect={"index": "fixed_array"})
        # Extensible array: one unlimited dimension.
        d = idx.create_dataset("extensible_array", shape=(47, 20), maxshape=(None, 20), dtype="i4",
                               chunks=(5, 8))
        d[...] = values((47, 20), "i4")
        m.record(fname, d, expect={"index": "extensible_array"})
        d = idx.create_dataset("extensible_array_gzip", shape=(0, 6), maxshape=(None, 6), dtype="f4",
                               chunks=(3, 6), compression="gzip", fletcher32=True)
        for i in range(5):  # grown by appends, as a logging application would
            d.resize(d.shape[0] + 9, axis=0)
            d[-9:] = values((9, 6), "f4")
        m.record(fname, d, expect={"index": "extensible_array"})
        # Thousands of chunks: the extensible array needs data blocks and super blocks.
        d = idx.create_dataset("extensible_array_many", shape=(3000, 4), maxshape=(None, 4), dtype="u1",
                               chunks=(1, 4), fillvalue=9)
        d[:2500] = values((2500, 4), "u1")
        m.record(fname, d, expect={"index": "extensible_array"})
        # B-tree v2: two unlimited dimensions.
        d = idx.create_dataset("btree_v2", shape=(23, 17), maxshape=(None, None), dtype="i8", chunks=(5, 5))
        d[...] = values((23, 17), "i8")
        m.record(fname, d, expect={"index": "btree_v2"})
        d = idx.create_dataset("btree_v2_gzip", shape=(23, 17), maxshape=(None, None), dtype="f8",
                               chunks=(5, 5), compression="gzip", shuffle=True)
        d[3:20, 2:9] = values((17, 7), "f8")
        m.record(fname, d, expect={"index": "btree_v2"})
        d = idx.create_dataset("btree_v2_many", shape=(160, 160), maxshape=(None, None), dtype="u2",
                               chunks=(4, 4))
        d[...] = values((160, 160), "u2")
        m.record(fname, d, expect={"index": "btree_v2"})
        m.record(fname, f.create_dataset("contiguous", data=values((17, 5), "f4")))
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_layout(h5d.COMPACT)
        m.record(fname, f.create_dataset("compact", data=values((7,), "i8"), dcpl=dcpl))


def many_datasets_file(m, out):
    """Forty small chunked datasets: opening and listing must stay within a few requests."""
    fname = "many_datasets.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        for i in range(40):
            g = f.require_group("group_%d" % (i % 4))
            d = g.create_dataset("var_%02d" % i, data=values((64, 32), "f4"), chunks=(16, 16),
                                 compression="gzip")
            d.attrs["index"] = i
            m.record(fname, d)


def netcdf_file(m, out):
    """NetCDF4 (an HDF5 file with dimension scales): variables name their dimensions."""
    import netCDF4

    fname = "climate.nc"
    path = os.path.join(out, fname)
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.title = "ArrayMorph NetCDF4 fixture"
        nc.createDimension("time", None)
        nc.createDimension("lat", 18)
        nc.createDimension("lon", 36)
        nc.createDimension("nv", 2)  # a dimension without a coordinate variable
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "days since 2000-01-01"
        t[:] = np.arange(5, dtype="f8")
        la = nc.createVariable("lat", "f4", ("lat",))
        la[:] = np.linspace(-85, 85, 18)
        lo = nc.createVariable("lon", "f4", ("lon",))
        lo[:] = np.linspace(0, 350, 36)
        temp = nc.createVariable("temperature", "f4", ("time", "lat", "lon"), zlib=True,
                                 chunksizes=(1, 9, 12), fill_value=-999.0)
        temp.units = "K"
        temp[:] = values((5, 18, 36), "f4")
        bnds = nc.createVariable("lat_bnds", "f4", ("lat", "nv"))
        bnds[:] = values((18, 2), "f4")
    dims = {"/time": ["time"], "/lat": ["lat"], "/lon": ["lon"],
            "/temperature": ["time", "lat", "lon"], "/lat_bnds": ["lat", "nv"]}
    with h5py.File(path, "r") as f:
        for name in ["time", "lat", "lon", "temperature", "lat_bnds"]:
            m.record(fname, f[name], dims=dims["/" + name])


def userblock_file(m, out):
    """A 512-byte user block before the HDF5 data: every address is relative to the superblock."""
    fname = "userblock.h5"
    with h5py.File(os.path.join(out, fname), "w", userblock_size=512) as f:
        m.record(fname, f.create_dataset("chunked", data=values((30, 20), "i4"), chunks=(8, 8),
                                         compression="gzip"))
        m.record(fname, f.create_dataset("contiguous", data=values((10, 10), ">f8"), dtype=">f8"))
    with open(os.path.join(out, fname), "r+b") as f:
        f.write(b"user block written by make_hdf5_fixtures.py")


def encode_chunks(dset, data, encode):
    """Writes every chunk of `data` into `dset` as `encode(raw chunk bytes)`, edge chunks padded with
    zeros as libhdf5 pads them, bypassing the filter pipeline (H5Dwrite_chunk)."""
    chunks = dset.chunks
    grid = [-(-n // c) for n, c in zip(data.shape, chunks)]
    for coords in np.ndindex(*grid):
        start = [i * c for i, c in zip(coords, chunks)]
        part = data[tuple(slice(s0, s0 + c) for s0, c in zip(start, chunks))]
        full = np.zeros(chunks, dtype=dset.dtype)
        full[tuple(slice(0, n) for n in part.shape)] = part
        dset.id.write_direct_chunk(tuple(start), encode(full.tobytes()))


def zstd_frame(raw):
    """hdf5plugin's zstd filter (32015): the chunk is one zstd frame."""
    import zstandard
    return zstandard.ZstdCompressor(level=3).compress(raw)


def bitshuffle_zstd(elem_size):
    """bitshuffle's zstd format (cd_values[4] = 3), which Debian's bitshuffle 0.3.5 cannot write:
    bitshuffle's own C bit transpose (the python module) per block, each block a zstd frame, framed
    like its lz4 format (kiyo-masui/bitshuffle src/bshuf_h5filter.c, bitshuffle.c)."""
    import bitshuffle
    import zstandard

    block = max(128, 8192 // elem_size // 8 * 8)  # bshuf_default_block_size

    def encode(raw):
        a = np.frombuffer(raw, dtype="u%d" % elem_size if elem_size > 1 else "u1")
        out = [len(raw).to_bytes(8, "big"), (block * elem_size).to_bytes(4, "big")]
        n = len(a)
        sizes = [block] * (n // block) + ([n % block // 8 * 8] if n % block // 8 else [])
        pos = 0
        for size in sizes:
            t = bitshuffle.bitshuffle(np.ascontiguousarray(a[pos:pos + size]), size).tobytes()
            z = zstandard.ZstdCompressor(level=3, write_content_size=False).compress(t)
            out += [len(z).to_bytes(4, "big"), z]
            pos += size
        out.append(a[pos:].tobytes())  # the last n % 8 elements are stored as they are
        return b"".join(out)

    return encode


def smooth_values(shape, dtype):
    """Compressible values (a slow wave plus small noise) whose every byte position still varies."""
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    wave = np.sin(np.arange(n) / 300.0)
    if dt.kind == "f":
        a = wave * 1000 + RNG.standard_normal(n)
    else:
        info = np.iinfo(dt)
        a = (wave * 0.45 + 0.5) * (float(info.max) - float(info.min)) + float(info.min)
        a[::50] = RNG.integers(info.min, info.max, len(a[::50]), endpoint=True)
    return a.astype(dt).reshape(shape)


def plugin_filters_file(m, out):
    """Registered plugin filters satellite and physics files use: lz4 (32004), bitshuffle (32008)
    with no compression, lz4 and zstd, zstd (32015), blosc (32001). Chunk shapes hold a
    number of elements that is not a multiple of bitshuffle's block or of 8, and the shapes leave
    partial edge chunks, so every branch of the block formats is read."""
    fname = "plugin_filters.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        # Per type: chunk elements = 1 default block + a shorter block + a few leftover elements.
        cases = {"i2": ((150, 130), (70, 61)), "f4": ((120, 100), (50, 45)),
                 ">f8": ((70, 80), (33, 35)), "f8": ((70, 80), (33, 35))}
        g = f.create_group("bitshuffle")
        for code, (shape, chunks) in cases.items():
            name = ZARR_NAMES[code.lstrip("<>")] + ("_be" if code.startswith(">") else "")
            data = values(shape, code)
            for cname in ["none", "lz4"]:
                d = g.create_dataset(name + "_" + cname, data=data, chunks=chunks, dtype=code,
                                     **hdf5plugin.Bitshuffle(cname=cname))
                m.record(fname, d)
            d = g.create_dataset(name + "_zstd", shape=shape, chunks=chunks, dtype=code,
                                 compression=32008, compression_opts=(0, 3, 3))
            encode_chunks(d, data, bitshuffle_zstd(np.dtype(code).itemsize))
            m.record(fname, d, data=data)
        # A block size of its own (256 elements) and smooth data that compresses well.
        smooth = (np.arange(90 * 70, dtype="i4").reshape(90, 70) // 7).astype("i4")
        m.record(fname, g.create_dataset("int32_block256_lz4", data=smooth, chunks=(40, 33),
                                         **hdf5plugin.Bitshuffle(nelems=256, cname="lz4")))

        g = f.create_group("lz4")
        m.record(fname, g.create_dataset("int16", data=values((150, 130), "i2"), chunks=(70, 61),
                                         **hdf5plugin.LZ4()))
        m.record(fname, g.create_dataset("float32_be", data=values((120, 100), ">f4"),
                                         dtype=">f4", chunks=(50, 45), **hdf5plugin.LZ4()))
        # 1000-byte blocks: many blocks, a short last one; random values leave some uncompressed.
        m.record(fname, g.create_dataset("float64_blocks", data=values((70, 80), "f8"),
                                         chunks=(33, 35), **hdf5plugin.LZ4(nbytes=1000)))
        m.record(fname, g.create_dataset("int32_smooth_blocks", data=smooth, chunks=(40, 33),
                                         **hdf5plugin.LZ4(nbytes=1000)))

        g = f.create_group("zstd")
        for code, (shape, chunks) in [("f4", ((120, 100), (50, 45))), ("i2", ((150, 130), (70, 61)))]:
            data = values(shape, code)
            d = g.create_dataset(ZARR_NAMES[code], shape=shape, chunks=chunks, dtype=code,
                                 compression=32015, compression_opts=(3,), allow_unknown_filter=True)
            encode_chunks(d, data, zstd_frame)
            m.record(fname, d, data=data)

        # bzip2 (307, hdf5plugin's H5Zbzip2): one bzip2 stream per chunk, partial edge chunks.
        g = f.create_group("bzip2")
        m.record(fname, g.create_dataset("float64", data=values((70, 80), "f8"), chunks=(33, 35),
                                         **hdf5plugin.BZip2(blocksize=9)))
        m.record(fname, g.create_dataset("int16_smooth_shuffle",
                                         data=smooth_values((150, 130), "i2"), chunks=(70, 61),
                                         shuffle=True, **hdf5plugin.BZip2(blocksize=1)))

        # Blosc (32001, written by Debian's hdf5-blosc plugin through hdf5plugin): every inner codec
        # with no, byte and bit shuffle, dtypes of 1 to 8 bytes (one big-endian), levels 0 (plain
        # copies) to 9, partial edge chunks; then chunks large enough for several blocks, split
        # streams and a short last block.
        g = f.create_group("blosc")
        shuffles = [("noshuffle", hdf5plugin.Blosc.NOSHUFFLE), ("shuffle", hdf5plugin.Blosc.SHUFFLE),
                    ("bitshuffle", hdf5plugin.Blosc.BITSHUFFLE)]
        codes = ["f8", "i2", "f4", ">i4", "u1", "i8"]
        case = 0
        for cname in ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"]:
            for sname, shuffle in shuffles:
                code = codes[case % len(codes)]
                level = [1, 5, 9, 0][case % 4]
                case += 1
                name = "%s_%s_%s_l%d" % (cname, sname, ZARR_NAMES[code.lstrip("<>")]
                                         + ("_be" if code.startswith(">") else ""), level)
                m.record(fname, g.create_dataset(name, data=smooth_values((83, 61), code),
                                                 dtype=code, chunks=(40, 37),
                                                 **hdf5plugin.Blosc(cname=cname, clevel=level,
                                                                    shuffle=shuffle)))
        for name, code, shape, chunks, cname, shuffle in [
                ("blosclz_split_f8", "f8", (230, 150), (100, 100), "blosclz", 1),
                ("lz4_multiblock_f4", "f4", (700, 300), (500, 200), "lz4", 1),
                ("zstd_bitshuffle_multiblock_f4", "f4", (600, 250), (499, 201), "zstd", 2)]:
            m.record(fname, g.create_dataset(name, data=smooth_values(shape, code), dtype=code,
                                             chunks=chunks,
                                             **hdf5plugin.Blosc(cname=cname, clevel=5,
                                                                shuffle=shuffle)))


def nbit_dataset(f, name, base, precision, offset, data, chunks):
    """A dataset of an n-bit integer type (`precision` significant bits `offset` bits up in `base`)
    with libhdf5's nbit filter, written through h5py's low-level API (h5py has no keyword for it)."""
    tid = base.copy()
    if base.get_precision() != precision or base.get_offset() != offset:
        tid.set_precision(precision)
        tid.set_offset(offset)
    dcpl = h5p.create(h5p.DATASET_CREATE)
    dcpl.set_chunk(chunks)
    dcpl.set_filter(h5z.FILTER_NBIT, h5z.FLAG_OPTIONAL)  # what H5Pset_nbit does
    space = h5s.create_simple(data.shape)
    dsid = h5d.create(f.id, name.encode(), tid, space, dcpl=dcpl)
    dsid.write(h5s.ALL, h5s.ALL, np.ascontiguousarray(data))
    return h5py.Dataset(dsid)


def builtin_filters_file(m, out):
    """libhdf5's own lossy/packing filters: scaleoffset (6) for integers (minimum bits found by
    libhdf5, or given; values equal to the fill value; full-width ranges stored whole; with gzip
    after it) and floats (D-scaling), and nbit (5) on n-bit integer types, signed and unsigned, of
    both byte orders, and on an n-bit float type. Shapes leave partial edge chunks; some chunks stay unwritten. The values are
    recorded from the file reopened: right after writing, h5py would read the lossy scaleoffset
    datasets back from libhdf5's chunk cache, unfiltered."""
    fname = "builtin_filters.h5"
    written = []
    with h5py.File(os.path.join(out, fname), "w") as f:
        g = f.create_group("scaleoffset")
        for code in ["i2", ">i4", "u1", "u2", "i8", "u8"]:
            dt = np.dtype(code)
            info = np.iinfo(dt)
            lo = int(info.min) // 2 + 1000 if info.min < 0 else 3
            a = (lo + (np.arange(90 * 70) * 37) % min(5000, int(info.max) - lo)).astype(dt)
            name = ZARR_NAMES[code.lstrip("<>")] + ("_be" if code.startswith(">") else "")
            written.append(g.create_dataset(name, data=a.reshape(90, 70), chunks=(40, 33),
                                             scaleoffset=0))
        # values equal to the fill value (stored as the all-ones marker); an unwritten chunk
        d = g.create_dataset("int32_fill", shape=(50, 40), chunks=(20, 15), dtype="i4",
                             fillvalue=-7, scaleoffset=0)
        a = (np.arange(50 * 40) % 300 - 100).astype("i4").reshape(50, 40)
        a[::3, ::4] = -7
        d[0:40, :] = a[0:40, :]
        written.append(d)
        # a fixed bit count given by the writer; full-range values stored whole
        written.append(g.create_dataset("int16_bits12", data=(np.arange(3000) % 4000 - 2000)
                                         .astype("i2").reshape(60, 50), chunks=(25, 20),
                                         scaleoffset=12))
        written.append(g.create_dataset("int32_full_range", data=values((45, 35), "i4"),
                                         chunks=(20, 16), scaleoffset=0))
        written.append(g.create_dataset("int64_full_range", data=values((45, 35), "i8"),
                                         chunks=(20, 16), scaleoffset=0))
        written.append(g.create_dataset("int32_gzip", data=(np.arange(80 * 60) // 5)
                                         .astype("i4").reshape(80, 60), chunks=(30, 25),
                                         scaleoffset=0, compression="gzip"))
        for code, digits in [("f4", 2), ("f8", 3), (">f8", 1), ("f4", 0)]:
            name = ZARR_NAMES[code.lstrip("<>")] + ("_be" if code.startswith(">") else "") + \
                "_d%d" % digits
            a = smooth_values((70, 55), code)
            written.append(g.create_dataset(name, data=a, chunks=(30, 20), dtype=code,
                                             scaleoffset=digits))
        d = g.create_dataset("float32_d2_fill", shape=(40, 30), chunks=(15, 15), dtype="f4",
                             fillvalue=-999.0, scaleoffset=2)
        a = smooth_values((40, 30), "f4")
        a[::4, ::3] = -999.0
        d[0:30, :] = a[0:30, :]
        written.append(d)

        g = f.create_group("nbit")
        n = 75 * 64
        signed12 = ((np.arange(n) * 97) % 4096 - 2048).astype("i4").reshape(75, 64)
        written.append(nbit_dataset(g, "int32_p12", h5t.STD_I32LE, 12, 0, signed12, (30, 25)))
        written.append(nbit_dataset(g, "int32_be_p12_o5", h5t.STD_I32BE, 12, 5, signed12,
                                     (30, 25)))
        unsigned10 = ((np.arange(n) * 31) % 1024).astype("u2").reshape(75, 64)
        written.append(nbit_dataset(g, "uint16_p10_o3", h5t.STD_U16LE, 10, 3, unsigned10,
                                     (33, 20)))
        signed5 = ((np.arange(n) * 7) % 32 - 16).astype("i1").reshape(75, 64)
        written.append(nbit_dataset(g, "int8_p5_o2", h5t.STD_I8LE, 5, 2, signed5, (40, 64)))
        # libhdf5's own n-bit float layout (test/nbit.c): sign bit 26, 6-bit exponent at 20 (bias
        # 31), 13-bit mantissa at 7; precision 20 at offset 7, in a 4-byte big-endian element.
        ftid = h5t.IEEE_F32BE.copy()
        ftid.set_fields(26, 20, 6, 7, 13)
        ftid.set_offset(7)
        ftid.set_precision(20)
        ftid.set_size(4)  # set_offset(7) grew it to 5 bytes, as in libhdf5's test
        ftid.set_ebias(31)
        floats = (np.arange(n) % 997 * 0.37 - 150.0).astype("f4").reshape(75, 64)
        floats[0, :3] = [0.0, -0.0, 1.0 / 3.0]
        written.append(nbit_dataset(g, "float32_be_p20_o7", ftid, 20, 7, floats, (30, 25)))
        signed40 = ((np.arange(n, dtype="i8") * 123456789) % (1 << 40) - (1 << 39)).reshape(75, 64)
        written.append(nbit_dataset(g, "int64_p40_o7", h5t.STD_I64LE, 40, 7, signed40, (30, 30)))
        names = [d.name for d in written]
    with h5py.File(os.path.join(out, fname), "r") as f:
        for name in names:
            m.record(fname, f[name])


def szip_file(m, out):
    """szip (filter 4) as Debian's libhdf5 writes it through libaec: nearest-neighbour and entropy
    coding; 8-, 16-bit samples coded as they are (least and most significant byte first), 32- and
    64-bit ones as byte planes; scanlines that are and are not whole blocks; partial edge chunks;
    shuffle before szip; random values (blocks stored whole), smooth ones (split samples), constant
    runs (zero blocks) and small steps (second extension)."""
    fname = "szip.h5"
    rng = np.random.default_rng(121)

    def mixed(shape, dtype):
        dt = np.dtype(dtype)
        n = int(np.prod(shape))
        if dt.kind == "f":
            a = np.sin(np.arange(n) / 17.0) * 1000.0
        else:
            info = np.iinfo(dt)
            span = min(int(info.max), 3000)
            a = (np.arange(n) * 7) % span
            if info.min < 0:
                a = a - span // 2
        a = a.astype(dt)
        q = n // 4
        a[q:2 * q] = a[q]  # a constant run: zero blocks
        a[2 * q:3 * q] = a[2 * q] + (np.arange(q) // 3 % 2).astype(dt)  # small steps
        if dt.kind == "f":
            a[3 * q:] = rng.standard_normal(n - 3 * q).astype(dt) * 1e6
        else:
            info = np.iinfo(dt)
            a[3 * q:] = rng.integers(info.min, info.max, size=n - 3 * q, endpoint=True,
                                     dtype=dt.newbyteorder("="))
        return a.reshape(shape)

    with h5py.File(os.path.join(out, fname), "w") as f:
        cases = [
            # name, dtype, shape, chunks, coding, pixels per block, shuffle
            ("int32_nn8_padded", "<i4", (25, 23), (10, 10), "nn", 8, False),
            ("int16_be_ec16", ">i2", (40, 70), (20, 32), "ec", 16, False),
            ("uint16_nn32_padded", "<u2", (33, 50), (11, 50), "nn", 32, False),
            ("uint8_nn32", "|u1", (64, 90), (40, 64), "nn", 32, False),
            ("int8_ec8_padded", "|i1", (30, 30), (30, 30), "ec", 8, False),
            ("float32_be_nn4", ">f4", (21, 19), (7, 9), "nn", 4, False),
            ("float64_nn32", "<f8", (48, 64), (16, 64), "nn", 32, False),
            ("float64_be_ec8_padded", ">f8", (20, 30), (20, 30), "ec", 8, False),
            ("int64_shuffle_nn8", "<i8", (300,), (128,), "nn", 8, True),
            ("uint32_be_nn16", ">u4", (50, 40), (25, 40), "nn", 16, False),
        ]
        for name, dtype, shape, chunks, coding, ppb, shuffle in cases:
            d = f.create_dataset(name, data=mixed(shape, dtype), chunks=chunks,
                                 compression="szip", compression_opts=(coding, ppb),
                                 shuffle=shuffle)
            m.record(fname, d)
        # a chunk never written stays the fill value
        d = f.create_dataset("int32_unwritten_chunk", shape=(20, 20), chunks=(10, 10), dtype="<i4",
                             fillvalue=-3, compression="szip", compression_opts=("nn", 8))
        d[0:10, :] = mixed((10, 20), "<i4")
        m.record(fname, d)


def unsupported_file(m, out):
    """Features the reader refuses, each with an error naming the feature and the dataset."""
    fname = "unsupported.h5"
    with h5py.File(os.path.join(out, fname), "w", libver="latest") as f:
        m.record(fname, f.create_dataset("plain", data=np.arange(10, dtype="i4")))
        vlen_ints = f.create_dataset("vlen_ints", shape=(3,), dtype=h5py.vlen_dtype(np.dtype("i4")))
        vlen_ints[0] = np.arange(3, dtype="i4")
        m.unsupported(fname, "/vlen_ints", "variable-length sequence")
        refs = f.create_dataset("references", shape=(2,), dtype=h5py.ref_dtype)
        refs[0] = f["plain"].ref
        m.unsupported(fname, "/references", "reference")
        f["external"] = h5py.ExternalLink("other.h5", "/data")
        m.unsupported(fname, "/external", "external link")
        # numpy's longdouble on x86_64: libhdf5's 80-bit extended float in 16 bytes (no implied
        # mantissa bit); no Java or Spark type holds it exactly.
        f.create_dataset("long_double", data=np.arange(4, dtype=np.longdouble) / 3)
        m.unsupported(fname, "/long_double", "80-bit extended-precision floating-point type")
        # A virtual dataset beside them now reads (make_vds_fixtures.py checks its values); it stays
        # here so that this file's listing meets one.
        layout = h5py.VirtualLayout(shape=(10,), dtype="i4")
        layout[:] = h5py.VirtualSource(".", "/plain", shape=(10,))
        f.create_group("vds").create_virtual_dataset("virtual", layout)


def optional_filter_file(m, out):
    """An optional filter with no decoder here (MAFISC, 32002, as libhdf5's h5ex_d_mafisc.h5 has it):
    chunks its encoder could not shrink are stored without it (filter mask bit 0 set) and read; a
    chunk that applies it ("applied", at [0, 0]) is refused naming the filter, as libhdf5 does
    without the plugin, while the dataset's other chunks still read."""
    fname = "optional_filter.h5"
    data = values((8, 16), "<i4")
    with h5py.File(os.path.join(out, fname), "w") as f:
        for name in ("skipped", "applied"):
            dcpl = h5p.create(h5p.DATASET_CREATE)
            dcpl.set_chunk((4, 8))
            dcpl.set_filter(32002, h5z.FLAG_OPTIONAL, (0, 1, 4, 0, 1, 2, 4, 8))
            d = h5py.Dataset(h5d.create(f.id, name.encode(), h5t.NATIVE_INT32,
                                        h5s.create_simple((8, 16)), dcpl=dcpl))
            for r in (0, 4):
                for c in (0, 8):
                    raw = np.ascontiguousarray(data[r:r + 4, c:c + 8]).tobytes()
                    if name == "applied" and (r, c) == (0, 0):
                        d.id.write_direct_chunk((r, c), raw[:40], filter_mask=0)
                    else:
                        d.id.write_direct_chunk((r, c), raw, filter_mask=1)
            if name == "skipped":
                m.record(fname, d)


def utf8(b):
    return b.decode("utf-8") if isinstance(b, bytes) else str(b)


def fixed_string_dataset(f, name, strings, size, pad, cset, chunks=None, deflate=False):
    """A fixed-length string dataset with a chosen padding and character set (low-level API)."""
    tid = h5t.C_S1.copy()
    tid.set_size(size)
    tid.set_strpad(pad)
    tid.set_cset(cset)
    dcpl = h5p.create(h5p.DATASET_CREATE)
    if chunks:
        dcpl.set_chunk(chunks)
    if deflate:
        dcpl.set_deflate(6)
    space = h5s.create_simple((len(strings),))
    dsid = h5d.create(f.id, name.encode(), tid, space, dcpl=dcpl)
    mem = h5t.C_S1.copy()
    mem.set_size(size)
    mem.set_strpad(h5t.STR_NULLPAD)
    mem.set_cset(cset)
    dsid.write(h5s.ALL, h5s.ALL, np.array([s.encode("utf-8") for s in strings], dtype="S%d" % size),
               mtype=mem)
    return f[name]


def compound_values(dset):
    """h5py's compound (or array-type) values as JSON: {member: value} dicts, nested for nested
    compounds, lists (nested for multi-dimensional) for array members, enum labels (None for a code
    without one), booleans, decoded strings."""
    def convert(v, dt):
        if dt.subdtype is not None:
            base, shape = dt.subdtype
            inner = np.dtype((base, shape[1:])) if len(shape) > 1 else base
            return [convert(x, inner) for x in v]
        if dt.names:
            return {n: convert(v[n], dt.fields[n][0]) for n in dt.names}
        enum = h5py.check_enum_dtype(dt)
        if enum is not None:
            label = {int(c): k for k, c in enum.items()}
            return label.get(int(v))
        if dt.kind == "b":
            return bool(v)
        if isinstance(v, bytes):
            return utf8(v)
        if isinstance(v, str):
            return v
        if dt.kind == "f":
            return repr(float(v))
        return int(v)
    data = dset[()]
    if dset.dtype.names:
        return [convert(v, dset.dtype) for v in data.reshape(-1)]
    # An array-type dataset: h5py appends the array's axes to the dataset's shape.
    rank = len(dset.shape)
    flat = data.reshape((-1,) + data.shape[rank:])
    return [convert(v, np.dtype((dset.dtype.subdtype[0], v.shape))) for v in flat]


WORDS = ["", "alpha", "Grüße", "日本語テキスト", "naïve café", "x" * 40, "tab\tand space ", "end"]


def types_file(m, out):
    """Strings (fixed and variable length), compounds and enums, read as values rather than numbers."""
    fname = "types.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        ascii_words = ["", "alpha", "beta", "gamma delta", "x" * 12, "end"]
        utf8_words = ["", "Grüße", "日本", "naïve", "abcdefghij"]
        specs = [
            ("fixed_ascii_nullpad", ascii_words * 7, 12, h5t.STR_NULLPAD, h5t.CSET_ASCII, (8,), True),
            ("fixed_ascii_nullterm", ascii_words * 3, 9, h5t.STR_NULLTERM, h5t.CSET_ASCII, None, False),
            ("fixed_utf8_nullpad", utf8_words * 5, 12, h5t.STR_NULLPAD, h5t.CSET_UTF8, (6,), True),
            ("fixed_utf8_nullterm", utf8_words * 4, 11, h5t.STR_NULLTERM, h5t.CSET_UTF8, None, False),
        ]
        for name, words, size, pad, cset, chunks, deflate in specs:
            d = fixed_string_dataset(f, name, words, size, pad, cset, chunks, deflate)
            m.typed(fname, d, "string", [utf8(v) for v in d[()]])
        d = f.create_dataset("fixed_fill", shape=(60,), dtype="S8", chunks=(10,), fillvalue=b"n/a")
        d[10:20] = np.array([("w%d" % i).encode() for i in range(10)], dtype="S8")
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])

        vutf8 = h5py.string_dtype("utf-8")
        vascii = h5py.string_dtype("ascii")
        words = np.array(WORDS * 9, dtype=object)
        d = f.create_dataset("vlen_utf8_chunked", data=words, dtype=vutf8, chunks=(10,),
                             compression="gzip")
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])
        d = f.create_dataset("vlen_utf8_contiguous", data=words[:20], dtype=vutf8)
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])
        d = f.create_dataset("vlen_ascii_2d", data=np.array(["r%dc%d" % (i, j) for i in range(7)
                                                             for j in range(5)], dtype=object
                                                            ).reshape(7, 5),
                             dtype=vascii, chunks=(3, 2))
        m.typed(fname, d, "string", [utf8(v) for v in d[()].reshape(-1)])
        d = f.create_dataset("vlen_ascii_contiguous", data=np.array(["a", "", "bc"], dtype=object),
                             dtype=vascii)
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])
        d = f.create_dataset("vlen_unwritten", shape=(30,), dtype=vutf8, chunks=(10,))
        d[10:20] = np.array(["v%d" % i for i in range(10)], dtype=object)
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])
        # The request-count test reads 2 of these strings: 1000 chunks, many global heap collections.
        big = np.array(["string number %d %s" % (i, "y" * (i % 50)) for i in range(20000)], dtype=object)
        d = f.create_dataset("vlen_big", data=big, dtype=vutf8, chunks=(20,))
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])

        cdt = np.dtype([("i32", "<i4"), ("i64_be", ">i8"), ("f32_be", ">f4"), ("f64", "<f8"),
                        ("u16_be", ">u2"), ("i8", "i1"), ("name", "S6")])
        rows = np.zeros(45, dtype=cdt)
        rows["i32"] = values((45,), "i4")
        rows["i64_be"] = values((45,), "i8")
        rows["f32_be"] = values((45,), "f4")
        rows["f64"] = values((45,), "f8")
        rows["u16_be"] = values((45,), "u2")
        rows["i8"] = values((45,), "i1")
        rows["name"] = [("n%d" % i).encode() for i in range(45)]
        fill = np.array((-1, -2, 1.5, -2.5, 7, -8, b"fill"), dtype=cdt)
        d = f.create_dataset("compound", shape=(60,), dtype=cdt, chunks=(8,), shuffle=True,
                             compression="gzip", fillvalue=fill[()])
        d[0:45] = rows  # chunks from 48 on are never written: the compound fill value
        m.typed(fname, d, "compound", compound_values(d),
                members={n: str(cdt.fields[n][0]) for n in cdt.names})
        d = f.create_dataset("compound_contiguous", data=rows[:9])
        m.typed(fname, d, "compound", compound_values(d))
        ndt = np.dtype([("id", "<i4"), ("pos", [("x", "<f4"), ("y", ">f8")]), ("label", vutf8)])
        nested = np.zeros(12, dtype=ndt)
        nested["id"] = np.arange(12)
        nested["pos"]["x"] = np.arange(12) * 0.5
        nested["pos"]["y"] = -np.arange(12) * 1.25
        nested["label"] = np.array([WORDS[i % len(WORDS)] for i in range(12)], dtype=object)
        d = f.create_dataset("compound_nested", data=nested, chunks=(5,))
        m.typed(fname, d, "compound", compound_values(d))
        array_members(m, f, fname)

        colors = {"RED": 0, "GREEN": 1, "BLUE": 2, "NEG": -5}
        edt = h5py.enum_dtype(colors, basetype="i1")
        codes = np.array([0, 1, 2, -5, 1, 0, 7, 2, 2, 1, 0, -5] * 3, dtype="i1")
        d = f.create_dataset("enum_int8", data=codes.astype(edt), dtype=edt, chunks=(5,))
        label = {v: k for k, v in colors.items()}
        m.typed(fname, d, "enum", [label.get(int(c)) for c in d[()]],
                codes=[int(c) for c in d[()]], mapping=colors)
        levels = {"LOW": -300, "MID": 0, "HIGH": 1000}
        bdt = h5py.enum_dtype(levels, basetype=">i2")
        bcodes = np.array([-300, 0, 1000, 0, -300, 1000, 1000, 0], dtype=">i2")
        d = f.create_dataset("enum_int16_be", data=bcodes.astype(bdt), dtype=bdt)
        label = {v: k for k, v in levels.items()}
        m.typed(fname, d, "enum", [label.get(int(c)) for c in d[()]],
                codes=[int(c) for c in d[()]], mapping=levels)
        enum_sizes(m, f, fname)
        # A numeric dataset beside them, for reads of several datasets as columns.
        d = f.create_dataset("numbers", data=np.arange(60, dtype="f8") * 0.5, chunks=(8,))
        m.record(fname, d)

def array_members(m, f, fname):
    """Compounds with HDF5 array members (numbers, big-endian, 2-d, strings), an enum and bool member,
    and top-level datasets of an array type."""
    vutf8 = h5py.string_dtype("utf-8")
    colors = {"RED": 0, "GREEN": 1, "BLUE": 2, "NEG": -5}
    edt = h5py.enum_dtype(colors, basetype="i1")
    adt = np.dtype([("id", "<i4"), ("vec", "<f4", (3,)), ("m", "<i2", (2, 2)), ("be", ">i8", (2,)),
                    ("tags", "S5", (2,)), ("words", vutf8, (2,)), ("color", edt), ("flag", "?"),
                    ("flags", "?", (3,)), ("colors", edt, (2,))])
    n = 22
    rows = np.zeros(n, dtype=adt)
    rows["id"] = np.arange(n) * 3 - 7
    rows["vec"] = values((n, 3), "f4")
    rows["m"] = values((n, 2, 2), "i2")
    rows["be"] = values((n, 2), "i8")
    rows["tags"] = [[("t%d" % i).encode(), ("u%d" % (i * 7)).encode()] for i in range(n)]
    rows["words"] = [[WORDS[i % len(WORDS)], WORDS[(i + 3) % len(WORDS)]] for i in range(n)]
    rows["color"] = np.array([0, 1, 2, -5, 7, 1] * 4, dtype="i1")[:n]  # 7 has no label
    rows["flag"] = np.arange(n) % 3 == 0
    rows["flags"] = [[i % 2 == 0, i % 3 == 0, True] for i in range(n)]
    rows["colors"] = [[i % 3, 7 if i % 5 == 0 else -5] for i in range(n)]
    # libhdf5 cannot keep a fill value holding variable-length strings: that member is left out here.
    fdt = np.dtype([(k, adt.fields[k][0]) for k in adt.names if k != "words"])
    fill = np.zeros((), dtype=fdt)
    fill["id"] = -1
    fill["vec"] = [1.5, -2.5, 3.25]
    fill["m"] = [[1, -2], [3, -4]]
    fill["be"] = [-9, 2 ** 40]
    fill["tags"] = [b"f1", b"f2"]
    fill["color"] = 2
    fill["flag"] = True
    fill["flags"] = [True, False, True]
    fill["colors"] = [-5, 1]
    d = f.create_dataset("compound_array_member", shape=(40,), dtype=fdt, chunks=(6,),
                         compression="gzip", fillvalue=fill)
    d[0:n] = rows[list(fdt.names)]  # chunks from 24 on are never written: the compound fill value
    m.typed(fname, d, "compound", compound_values(d))
    d = f.create_dataset("compound_array_contiguous", data=rows[:5])
    m.typed(fname, d, "compound", compound_values(d))
    # Top-level array types (h5py folds numpy subarray dtypes into the shape, so use the low level).
    for name, tid, data, chunks in [
        ("array_f4", h5t.array_create(h5t.IEEE_F32LE, (3,)), values((10, 3), "<f4"), (4,)),
        ("array_i2_be_2d", h5t.array_create(h5t.STD_I16BE, (2, 3)), values((6, 2, 3), ">i2"), None),
        ("array_f8_3d", h5t.array_create(h5t.IEEE_F64LE, (2, 3, 4)), values((5, 2, 3, 4), "<f8"), (2,)),
    ]:
        shape = data.shape[:1]
        dcpl = h5p.create(h5p.DATASET_CREATE)
        if chunks:
            dcpl.set_chunk(chunks)
        dsid = h5d.create(f.id, name.encode(), tid, h5s.create_simple(shape), dcpl=dcpl)
        dsid.write(h5s.ALL, h5s.ALL, np.ascontiguousarray(data), mtype=tid)
        d = f[name]
        m.typed(fname, d, "array", compound_values(d))
    d = f.create_dataset("bools", data=np.array([True, False, False, True, True] * 5), chunks=(4,))
    m.typed(fname, d, "bool", [bool(v) for v in d[()]])


# Enum codes of every base size and sign, stored in either byte order. jhdf 0.13 reads codes as
# little-endian numbers into a Java int and fails on the rest: these are the ones it can read
# (negative, above 2^31 for unsigned and big-endian codes included); types_jhdf_limits_file has others.
ENUM_SIZES = [
    ("enum_uint8", "u1", {"ZERO": 0, "MID": 128, "HIGH": 200, "MAX": 255}, [17]),
    ("enum_int8_be", ">i1", {"MIN": -128, "NEG": -1, "POS": 127}, [5]),
    ("enum_int32_be", ">i4", {"NEG": -256, "ZERO": 0, "SMALL": 127, "BIG": 65536}, [3]),
    ("enum_uint32", "<u4", {"ZERO": 0, "K70": 70000, "TOP": 2 ** 31 - 1}, [2 ** 32 - 1]),
    ("enum_uint32_be", ">u4", {"ONE_BILLION_ISH": 3000000000, "ZERO": 0}, [2 ** 32 - 2]),
    ("enum_int64", "<i8", {"MIN32": -2 ** 31, "NEG": -5, "ZERO": 0, "MAX32": 2 ** 31 - 1}, [2 ** 40]),
    ("enum_int64_be", ">i8", {"NEG": -1, "ZERO": 0, "P56": 2 ** 56, "P56M1": 2 ** 56 - 1}, [-7]),
    ("enum_uint64", "<u8", {"ZERO": 0, "TOP": 2 ** 31 - 1}, [2 ** 63 + 9]),
    ("enum_uint64_be", ">u8", {"ZERO": 0, "P56": 2 ** 56, "P56_48": 2 ** 56 + 2 ** 48}, [5]),
]


def enum_sizes(m, f, fname):
    for name, base, mapping, unlabeled in ENUM_SIZES:
        edt = h5py.enum_dtype(mapping, basetype=base)
        codes = np.array((list(mapping.values()) + unlabeled) * 3, dtype=base)
        d = f.create_dataset(name, data=codes.astype(edt), dtype=edt, chunks=(4,))
        label = {v: k for k, v in mapping.items()}
        m.typed(fname, d, "enum", [label.get(int(c)) for c in d[()]],
                codes=[int(c) for c in d[()]], mapping=mapping)


def types_jhdf_limits_file(m, out):
    """Types jhdf 0.13 cannot parse at all, each alone in a group beside a readable dataset: enums
    (read by our own parser) and opaque types (refused)."""
    fname = "types_jhdf_limits.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        f.create_dataset("plain", data=np.arange(5, dtype="i4"))
        for name, base, mapping in [("enum_int32", "<i4", {"NEG": -5, "ONE": 1}),
                                    ("enum_uint32_high", "<u4", {"HIGH": 3000000001}),
                                    ("enum_int64_be", ">i8", {"ONE": 1})]:
            g = f.create_group(name)
            edt = h5py.enum_dtype(mapping, basetype=base)
            d = g.create_dataset("codes", data=np.array(list(mapping.values()), dtype=base).astype(edt),
                                 dtype=edt)
            # Read by our own datatype parser (Hdf5TypeTree) once jhdf's view of it is masked.
            label = {v: k for k, v in mapping.items()}
            m.typed(fname, d, "enum", [label.get(int(c)) for c in d[()]],
                    codes=[int(c) for c in d[()]], mapping=mapping)
        g = f.create_group("opaque")
        g.create_dataset("blob", data=np.array([b"ab", b"cd"], dtype="V2"))
        g.create_dataset("beside", data=np.arange(3, dtype="f8"))
        g.create_dataset("inner/deeper", data=np.arange(4, dtype="i2"))
        g["alias"] = h5py.SoftLink("/opaque/beside")
        m.unsupported(fname, "/opaque/blob", "opaque type")
    # The same with libhdf5's newer group formats: compact links, and dense ones (over 8 links).
    fname = "types_jhdf_limits_latest.h5"
    with h5py.File(os.path.join(out, fname), "w", libver="latest") as f:
        g = f.create_group("compact")
        g.create_dataset("blob", data=np.array([b"ab", b"cd"], dtype="V2"))
        g.create_dataset("beside", data=np.arange(3, dtype="f8"))
        g.create_dataset("inner/deeper", data=np.arange(4, dtype="i2"))
        m.unsupported(fname, "/compact/blob", "opaque type")
        g = f.create_group("dense")
        g.create_dataset("blob", data=np.array([b"ab", b"cd"], dtype="V2"))
        for i in range(12):
            g.create_dataset("d%02d" % i, data=np.arange(i + 1, dtype="i4"))
        g["alias"] = h5py.SoftLink("/dense/d03")
        m.unsupported(fname, "/dense/blob", "opaque type")
        f.create_dataset("blob_at_root", data=np.array([b"ab"], dtype="V2"))
        m.unsupported(fname, "/blob_at_root", "opaque type")


def types_wild_file(m, out):
    """Typed kinds real files use that jhdf 0.13 cannot read (h5dump's tsaf.h5, tbitnopaque.h5,
    tmany.h5 have them): enums with negative and big-endian int32 codes (alone and inside a
    compound: jhdf fails the whole object), a bitfield member, a rank-4 array member (array types
    are written in their version-2 encoding by default)."""
    fname = "types_wild.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        role = h5py.enum_dtype({"NONE": -2, "NEG": -7, "ZERO": 0, "ONE": 1}, basetype=">i4")
        kind = h5py.enum_dtype({"LOW": -100000, "HIGH": 2 ** 31 - 1}, basetype="<i4")
        cdt = np.dtype([("name", "S8"), ("role", role), ("kind", kind), ("count", ">i4")])
        rows = np.zeros(11, dtype=cdt)
        rows["name"] = [("r%d" % i).encode() for i in range(11)]
        rows["role"] = [[-2, -7, 0, 1, 5][i % 5] for i in range(11)]  # 5 has no label
        rows["kind"] = [[-100000, 2 ** 31 - 1][i % 2] for i in range(11)]
        rows["count"] = np.arange(11) * -3
        d = f.create_dataset("compound_enum_be", data=rows, chunks=(4,))
        m.typed(fname, d, "compound", compound_values(d))
        codes = np.array([-2, -7, 0, 1, -2, 3], dtype=">i4")
        d = f.create_dataset("enum_int32_be_negative", data=codes.astype(role), dtype=role)
        label = {-2: "NONE", -7: "NEG", 0: "ZERO", 1: "ONE"}
        m.typed(fname, d, "enum", [label.get(int(c)) for c in d[()]],
                codes=[int(c) for c in d[()]], mapping={"NONE": -2, "NEG": -7, "ZERO": 0, "ONE": 1})

        # A compound with bitfield members (h5py has no numpy dtype for them: built with h5t).
        tid = h5t.create(h5t.COMPOUND, 8)
        tid.insert(b"flags8", 0, h5t.STD_B8LE)
        tid.insert(b"flags16_be", 2, h5t.STD_B16BE)
        tid.insert(b"value", 4, h5t.STD_I32LE)
        raw = np.zeros(9, dtype=np.dtype({"names": ["flags8", "flags16_be", "value"],
                                          "formats": ["u1", ">u2", "<i4"], "offsets": [0, 2, 4],
                                          "itemsize": 8}))
        raw["flags8"] = [(i * 37) % 256 for i in range(9)]
        raw["flags16_be"] = [(i * 7919) % 65536 for i in range(9)]
        raw["value"] = np.arange(9) - 4
        space = h5s.create_simple((9,))
        dsid = h5d.create(f.id, b"compound_bitfield", tid, space)
        dsid.write(h5s.ALL, h5s.ALL, raw, mtype=tid)
        d = f["compound_bitfield"]
        m.typed(fname, d, "compound", compound_values(d))

        # n-bit members (h5repack_nested_8bit_enum.h5 has 4-bit uint8s, with an enum on one): the
        # value is `precision` bits from bit `offset`, libhdf5 converts on write and read.
        u4 = h5t.STD_U8LE.copy()
        u4.set_precision(4)
        i10 = h5t.STD_I16BE.copy()
        i10.set_precision(10)
        i10.set_offset(3)
        e4 = h5t.enum_create(u4)
        for label, code in [(b"ok", 0), (b"failed", 1), (b"invalid", 5)]:
            e4.enum_insert(label, code)
        tid = h5t.create(h5t.COMPOUND, 6)
        tid.insert(b"u4", 0, u4)
        tid.insert(b"i10_be", 1, i10)
        tid.insert(b"status", 3, e4)
        tid.insert(b"plain", 4, h5t.STD_U16LE)
        mdt = np.dtype([("u4", "u1"), ("i10_be", "<i2"), ("status", "u1"), ("plain", "<u2")])
        mem = np.zeros(12, dtype=mdt)
        mem["u4"] = [(i * 5) % 16 for i in range(12)]
        mem["i10_be"] = [(i * 97) % 1024 - 512 for i in range(12)]
        mem["status"] = [[0, 1, 5][i % 3] for i in range(12)]
        mem["plain"] = np.arange(12) * 1000
        mtid = h5t.create(h5t.COMPOUND, mdt.itemsize)
        mtid.insert(b"u4", mdt.fields["u4"][1], h5t.NATIVE_UINT8)
        mtid.insert(b"i10_be", mdt.fields["i10_be"][1], h5t.NATIVE_INT16)
        me = h5t.enum_create(h5t.NATIVE_UINT8)
        for label, code in [(b"ok", 0), (b"failed", 1), (b"invalid", 5)]:
            me.enum_insert(label, code)
        mtid.insert(b"status", mdt.fields["status"][1], me)
        mtid.insert(b"plain", mdt.fields["plain"][1], h5t.NATIVE_UINT16)
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_chunk((5,))
        dsid = h5d.create(f.id, b"compound_nbit_members", tid, h5s.create_simple((12,)), dcpl=dcpl)
        dsid.write(h5s.ALL, h5s.ALL, mem, mtype=mtid)
        d = f["compound_nbit_members"]
        m.typed(fname, d, "compound", compound_values(d))
        # The same with the nbit filter: each member packed in turn (the enum stored whole).
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_chunk((5,))
        dcpl.set_filter(h5z.FILTER_NBIT, h5z.FLAG_OPTIONAL)  # what H5Pset_nbit does
        dsid = h5d.create(f.id, b"compound_nbit_filter", tid, h5s.create_simple((12,)), dcpl=dcpl)
        dsid.write(h5s.ALL, h5s.ALL, mem, mtype=mtid)
        d = f["compound_nbit_filter"]
        m.typed(fname, d, "compound", compound_values(d))

        # A rank-4 array member (libhdf5 1.10 writes array types in their version-2 encoding).
        adt = np.dtype([("id", "<i2"), ("a_array", "<i4", (2, 3, 2, 2))])
        arows = np.zeros(5, dtype=adt)
        arows["id"] = np.arange(5)
        arows["a_array"] = np.arange(5 * 24).reshape(5, 2, 3, 2, 2) - 50
        d = f.create_dataset("compound_array_rank4", data=arows)
        m.typed(fname, d, "compound", compound_values(d))
        tid = h5t.array_create(h5t.IEEE_F64BE, (2, 2, 3, 2))
        data = values((3, 2, 2, 3, 2), ">f8")
        dsid = h5d.create(f.id, b"array_rank4", tid, h5s.create_simple((3,)))
        dsid.write(h5s.ALL, h5s.ALL, np.ascontiguousarray(data), mtype=tid)
        d = f["array_rank4"]
        m.typed(fname, d, "array", compound_values(d))


def netcdf_types_file(m, out):
    """NetCDF4 string (vlen), enum and compound variables along a dimension."""
    import netCDF4

    fname = "types.nc"
    path = os.path.join(out, fname)
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("station", 9)
        st = nc.createVariable("station", "i4", ("station",))
        st[:] = np.arange(9) * 10
        names = nc.createVariable("station_name", str, ("station",), chunksizes=(4,))
        names[:] = np.array(["Zürich", "Oslo", "", "São Paulo", "東京", "Lima", "Nuuk", "Perth",
                             "Cairo"], dtype=object)
        cloud = nc.createEnumType(np.uint8, "cloud_t", {"clear": 0, "cumulus": 1, "stratus": 2})
        cv = nc.createVariable("cloud", cloud, ("station",))
        cv[:] = np.array([0, 1, 2, 1, 0, 0, 2, 1, 1], dtype="u1")
        obs_dt = np.dtype([("temp", "<f4"), ("count", "<i2")])
        obs_t = nc.createCompoundType(obs_dt, "obs_t")
        ov = nc.createVariable("obs", obs_t, ("station",))
        obs = np.zeros(9, dtype=obs_dt)
        obs["temp"] = np.arange(9) * 1.5 - 3
        obs["count"] = np.arange(9) * 7
        ov[:] = obs
    with h5py.File(path, "r") as f:
        d = f["station_name"]
        m.typed(fname, d, "string", [utf8(v) for v in d[()]], dims=["station"])
        d = f["cloud"]
        mapping = {k: int(v) for k, v in h5py.check_enum_dtype(d.dtype).items()}
        label = {v: k for k, v in mapping.items()}
        m.typed(fname, d, "enum", [label.get(int(c)) for c in d[()]], dims=["station"],
                codes=[int(c) for c in d[()]], mapping=mapping)
        d = f["obs"]
        m.typed(fname, d, "compound", compound_values(d), dims=["station"])


def bfloat16_type(order):
    """HDF5 2.0's bfloat16 (sign, 8 exponent, 7 mantissa bits, bias 127), defined by hand: libhdf5
    1.10 has no such predefined type but converts to and from any float layout."""
    tid = (h5t.IEEE_F32LE if order == "<" else h5t.IEEE_F32BE).copy()
    tid.set_fields(15, 7, 8, 0, 7)
    tid.set_offset(0)
    tid.set_precision(16)
    tid.set_size(2)
    tid.set_ebias(127)
    return tid


def wild_layouts_file(m, out):
    """Layouts real files use and simple fixtures miss: chunk indexes numbered over a maximum shape
    larger than the shape (fixed array, implicit) or with the unlimited dimension not first
    (extensible array), bfloat16 and bitfields."""
    fname = "wild_layouts.h5"
    with h5py.File(os.path.join(out, fname), "w", libver="latest") as f:
        ea = f.create_group("extensible_array")
        # Unlimited second: libhdf5 numbers chunks with it moved first, over the maximum shape.
        d = ea.create_dataset("unlimited_second", shape=(4, 6), maxshape=(10, None), dtype="i4",
                              chunks=(2, 3))
        d[...] = np.arange(24, dtype="i4").reshape(4, 6)
        m.record(fname, d, expect={"index": "extensible_array"})
        d = ea.create_dataset("unlimited_first_max", shape=(9, 7), maxshape=(None, 12), dtype="f8",
                              chunks=(2, 3), fillvalue=-7.5)
        d[1:8, 2:6] = values((7, 4), "f8")
        m.record(fname, d, expect={"index": "extensible_array"})
        # Thousands of chunks along a second unlimited axis, some never written: super blocks,
        # paged data blocks and unwritten pages.
        d = ea.create_dataset("unlimited_second_many", shape=(3, 6000), maxshape=(5, None), dtype="i2",
                              chunks=(2, 2), fillvalue=3)
        d[:, :1000] = values((3, 1000), "i2")
        d[:, 4000:4100] = values((3, 100), "i2")
        m.record(fname, d, expect={"index": "extensible_array"})
        d = ea.create_dataset("unlimited_second_gzip", shape=(5, 40), maxshape=(8, None), dtype="u4",
                              chunks=(3, 7), compression="gzip", shuffle=True)
        d[...] = values((5, 40), "u4")
        m.record(fname, d, expect={"index": "extensible_array"})
        # Bitfields (libhdf5's H5T_STD_B*; h5py reads them as unsigned integers of their size).
        bf = f.create_group("bitfield")
        for name, tid, code, chunks in [("b8", h5t.STD_B8LE, "u1", None),
                                        ("b16_be", h5t.STD_B16BE, ">u2", (2, 3)),
                                        ("b32", h5t.STD_B32LE, "<u4", None),
                                        ("b64_be", h5t.STD_B64BE, ">u8", (3, 2))]:
            dcpl = h5p.create(h5p.DATASET_CREATE)
            if chunks:
                dcpl.set_chunk(chunks)
                dcpl.set_deflate(4)
            dsid = h5d.create(bf.id, name.encode(), tid, h5s.create_simple((5, 3)), dcpl=dcpl)
            a = (np.arange(15, dtype="u8") * 0x0123456789ABCDEF).astype(code).reshape(5, 3)
            dsid.write(h5s.ALL, h5s.ALL, np.ascontiguousarray(a))
            m.record(fname, h5py.Dataset(dsid), expect={"listed_type": ZARR_NAMES[code.lstrip("<>|")]
                                                        + " (bitfield)"})
        fa = f.create_group("fixed_array")
        d = fa.create_dataset("max_larger", shape=(4, 6), maxshape=(20, 10), dtype="i4", chunks=(2, 3))
        d[...] = np.arange(24, dtype="i4").reshape(4, 6)
        m.record(fname, d, expect={"index": "fixed_array"})
        d = fa.create_dataset("max_larger_partial_gzip", shape=(11, 9), maxshape=(30, 40), dtype="f4",
                              chunks=(4, 4), compression="gzip", fillvalue=1.5)
        d[5:11, 0:5] = values((6, 5), "f4")
        m.record(fname, d, expect={"index": "fixed_array"})
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_chunk((2, 3))
        dcpl.set_alloc_time(h5d.ALLOC_TIME_EARLY)
        space = h5s.create_simple((5, 7), (9, 11))
        h5d.create(f.id, b"implicit_max_larger", h5t.STD_I32LE, space, dcpl=dcpl)
        d = f["implicit_max_larger"]
        d[...] = np.arange(35, dtype="i4").reshape(5, 7)
        m.record(fname, d, expect={"index": "implicit"})
        # H5Pset_chunk_opts(DONT_FILTER_PARTIAL_CHUNKS): edge chunks stored unfiltered (h5py has no
        # binding; libhdf5 1.10 has the call).
        dcpl = h5p.create(h5p.DATASET_CREATE)
        dcpl.set_chunk((4, 4))
        dcpl.set_deflate(6)
        try:
            hdf5 = ctypes.CDLL("libhdf5_serial.so.103")
        except OSError:
            hdf5 = ctypes.CDLL("libhdf5.so")
        hdf5.H5Pset_chunk_opts.argtypes = [ctypes.c_int64, ctypes.c_uint]
        if hdf5.H5Pset_chunk_opts(dcpl.id, 0x0002) < 0:
            raise RuntimeError("H5Pset_chunk_opts failed")
        space = h5s.create_simple((10, 7), (10, 7))
        h5d.create(f.id, b"partial_edge_chunks_unfiltered", h5t.STD_I32LE, space, dcpl=dcpl)
        d = f["partial_edge_chunks_unfiltered"]
        d[...] = np.arange(70, dtype="i4").reshape(10, 7)
        # Zarr codecs would filter the unfiltered edge chunks: not expressible as kerchunk refs.
        m.record(fname, d, expect={"index": "fixed_array", "kerchunk_expressible": False})
        for order, name in (("<", "bfloat16"), (">", "bfloat16_be")):
            space = h5s.create_simple((6, 5))
            h5d.create(f.id, name.encode(), bfloat16_type(order), space)
            d = f[name]
            src = np.array([0, 1, -1, 16, 2.75, 0.1, 1e30, -1e-30, 65504, 3.0e38] * 3, "f4").reshape(6, 5)
            d.write_direct(src)
            back = np.empty((6, 5), "f4")
            d.read_direct(back)  # libhdf5 converts bfloat16 -> float32 exactly
            m.record(fname, d, data=back, expect={"kerchunk_expressible": False})  # no Zarr bfloat16


def committed_types_file(m, out, libver, fname):
    """Datasets whose datatype is a committed (named) type, as netCDF-4 writes its compound types:
    the dataset's datatype message is shared (version 1 with libver 'earliest', 3 with 'latest')."""
    with h5py.File(os.path.join(out, fname), "w", libver=libver) as f:
        f["int_type"] = np.dtype("<i4")
        f["record_type"] = np.dtype([("id", "<i2"), ("temp", "<f8"), ("tag", "S4")])
        d = f.create_dataset("ints", data=np.arange(-10, 30, dtype="i4").reshape(5, 8),
                             dtype=f["int_type"], chunks=(2, 3))
        m.record(fname, d)
        rec = np.zeros(7, dtype=f["record_type"].dtype)
        rec["id"] = np.arange(7) - 3
        rec["temp"] = np.linspace(-1.5, 40.25, 7)
        rec["tag"] = [b"a", b"bb", b"ccc", b"dddd", b"", b"x", b"yz"]
        d = f.create_dataset("records", data=rec, dtype=f["record_type"])
        m.typed(fname, d, "compound", compound_values(d))
        # A committed type with an attribute of that very type (as h5repack's named_dtypes test
        # file has): its header refers to itself.
        f["self_type"] = np.dtype("<i8")
        f["self_type"].attrs.create("A", data=np.arange(3, dtype="<i8"), dtype=f["self_type"])
        d = f.create_dataset("self_typed", data=np.arange(-4, 8, dtype="<i8").reshape(3, 4) * 1000003,
                             dtype=f["self_type"])
        m.record(fname, d)


def user_defined_links_file(m, out):
    """User-defined links (link types 65-255), which jhdf 0.13 cannot parse at all.

    h5py cannot create one (libhdf5's H5Lcreate_ud needs a link class registered with H5Lregister,
    which h5py does not wrap), so external links are written and their link type byte patched from
    64 (external) to 187 (a user-defined class, as libhdf5's own test files tudlink.h5 and
    h5diff_types.h5 use). Both encode their value as a 2-byte length and bytes (format spec "Link
    Message"). libver="earliest" writes version 1 object headers, which carry no checksum, so the
    patched file stays valid: h5dump lists the links as USERDEFINED_LINK with LINKCLASS 187.
    """
    fname = "user_defined_links.h5"
    path = os.path.join(out, fname)
    with h5py.File(path, "w", libver="earliest") as f:
        f.create_dataset("data", data=np.arange(6, dtype="<i4"))
        f["alias"] = h5py.SoftLink("/data")
        f["udlink"] = h5py.ExternalLink("elsewhere.h5", "/x")
        g = f.create_group("grp")
        g.create_dataset("inner", data=np.linspace(0, 1, 5))
        g["udlink_in_grp"] = h5py.ExternalLink("elsewhere.h5", "/y")
    raw = bytearray(open(path, "rb").read())
    for name in (b"udlink", b"udlink_in_grp"):
        # Link message v1, flags 0x08 (link type present, 1-byte name length), type, length, name.
        pattern = bytes([1, 0x08, 64, len(name)]) + name
        at = raw.find(pattern)
        if at < 0 or raw.find(pattern, at + 1) >= 0:
            sys.exit("user_defined_links_file: no unique link message for %r" % name)
        raw[at + 2] = 187
    open(path, "wb").write(bytes(raw))
    with h5py.File(path, "r") as f:
        # libhdf5's own view: a link of class 187 (h5py's high level has no class for it).
        root, grp = f["/"], f["grp"]
        assert root.id.links.get_info(b"udlink").type == 187
        assert grp.id.links.get_info(b"udlink_in_grp").type == 187
        m.record(fname, f["data"])
        m.record(fname, f["grp/inner"])
    m.unsupported(fname, "/udlink", "user-defined link (link type 187)")
    m.unsupported(fname, "/grp/udlink_in_grp", "user-defined link (link type 187)")


def unparseable_attributes_file(m, out, libver, fname):
    """A dataset holding an attribute jhdf 0.13 cannot parse (a region reference) beside plain
    ones: jhdf fails the whole object header on it. 'earliest' writes version-1 object headers,
    'latest' version-2 ones, whose blocks carry a checksum."""
    with h5py.File(os.path.join(out, fname), "w", libver=libver) as f:
        d = f.create_dataset("values", data=values((5, 4), "f8"), chunks=(2, 3),
                             compression="gzip")
        d.attrs["units"] = "m"
        d.attrs.create("region", d.regionref[0:2, 1:3], dtype=h5py.regionref_dtype)
        d.attrs["scale"] = 2.5
        m.record(fname, d)
        g = f.create_group("grp")
        g.create_dataset("beside", data=np.arange(6, dtype="<i2"))
        m.record(fname, g["beside"])


def shared_messages_file(m, out, libver, fname):
    """Object header messages kept in the shared object header message heap (SOHM), which jhdf 0.13
    reads as if the heap IDs were the messages. h5py does not wrap H5Pset_shared_mesg_*, so they
    are called through ctypes (libhdf5 1.10 has them): one index for every shareable message type
    (dataspace, datatype, fill value, filter pipeline, attribute), shared from the smallest size."""
    try:
        hdf5 = ctypes.CDLL("libhdf5_serial.so.103")
    except OSError:
        hdf5 = ctypes.CDLL("libhdf5.so")
    hdf5.H5Pset_shared_mesg_nindexes.argtypes = [ctypes.c_int64, ctypes.c_uint]
    hdf5.H5Pset_shared_mesg_index.argtypes = [ctypes.c_int64, ctypes.c_uint, ctypes.c_uint,
                                              ctypes.c_uint]
    fcpl = h5p.create(h5p.FILE_CREATE)
    all_types = (1 << 0x1) | (1 << 0x3) | (1 << 0x5) | (1 << 0xB) | (1 << 0xC)  # H5O_SHMESG_ALL_FLAG
    if (hdf5.H5Pset_shared_mesg_nindexes(fcpl.id, 1) < 0
            or hdf5.H5Pset_shared_mesg_index(fcpl.id, 0, all_types, 0) < 0):
        raise RuntimeError("H5Pset_shared_mesg_* failed")
    fapl = h5p.create(h5p.FILE_ACCESS)
    if libver == "latest":
        fapl.set_libver_bounds(h5f.LIBVER_LATEST, h5f.LIBVER_LATEST)
    fid = h5f.create(os.path.join(out, fname).encode(), h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl)
    with h5py.File(fid) as f:
        # Same dataspace, type, fill and filters three times: libhdf5 shares them in the heap.
        for i, code in enumerate(["<i8", "<i8", "<f4"]):
            d = f.create_dataset("d%d" % i, data=values((5, 6), code), maxshape=(None, 6),
                                 chunks=(2, 4), compression="gzip", fillvalue=7)
            d.attrs["units"] = "m"
            m.record(fname, d)


def grids_file(m, out):
    """Datasets of one shape chunked differently, read together in one query: gzip chunks of 10x10
    (the grid a query walks), uncompressed chunks of 7x13, contiguous data, and chunks of 4x26."""
    fname = "grids.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        shape = (30, 26)
        m.record(fname, f.create_dataset("walked", data=values(shape, "f8"), chunks=(10, 10),
                                         compression="gzip"))
        m.record(fname, f.create_dataset("odd", data=values(shape, "i4"), chunks=(7, 13)))
        m.record(fname, f.create_dataset("contiguous", data=values(shape, "i2")))
        m.record(fname, f.create_dataset("rows", data=values(shape, "f4"), chunks=(4, 26),
                                         shuffle=True, compression="gzip"))


def compact_types_file(m, out):
    """Compact datasets (data inside the object header) of a number, a compound and a string."""
    fname = "compact_types.h5"
    with h5py.File(os.path.join(out, fname), "w") as f:
        def compact():
            dcpl = h5p.create(h5p.DATASET_CREATE)
            dcpl.set_layout(h5d.COMPACT)
            return dcpl
        m.record(fname, f.create_dataset("numbers", data=values((12,), ">f4"), dtype=">f4",
                                         dcpl=compact()))
        cdt = np.dtype([("id", "<i4"), ("t", ">f8"), ("name", "S5")])
        rows = np.zeros(12, dtype=cdt)
        rows["id"] = values((12,), "i4")
        rows["t"] = values((12,), "f8")
        rows["name"] = [("c%d" % i).encode() for i in range(12)]
        d = f.create_dataset("compound", data=rows, dcpl=compact())
        m.typed(fname, d, "compound", compound_values(d))
        words = ["", "alpha", "Grüße", "naïve", "end"] * 2 + ["x", "yz"]
        tid = h5t.C_S1.copy()
        tid.set_size(10)
        tid.set_strpad(h5t.STR_NULLPAD)
        tid.set_cset(h5t.CSET_UTF8)
        dsid = h5d.create(f.id, b"strings", tid, h5s.create_simple((len(words),)), dcpl=compact())
        dsid.write(h5s.ALL, h5s.ALL, np.array([w.encode("utf-8") for w in words], dtype="S10"),
                   mtype=tid)
        d = f["strings"]
        m.typed(fname, d, "string", [utf8(v) for v in d[()]])
        for d in (f["numbers"], f["compound"], f["strings"]):
            assert d.id.get_create_plist().get_layout() == h5d.COMPACT, d.name


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_hdf5_fixtures.py OUTPUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    m = Manifest(out)
    classic_file(m, out)
    latest_file(m, out)
    many_datasets_file(m, out)
    netcdf_file(m, out)
    userblock_file(m, out)
    plugin_filters_file(m, out)
    builtin_filters_file(m, out)
    szip_file(m, out)
    unsupported_file(m, out)
    types_file(m, out)
    netcdf_types_file(m, out)
    types_jhdf_limits_file(m, out)
    types_wild_file(m, out)
    wild_layouts_file(m, out)
    committed_types_file(m, out, "earliest", "committed_types_v1.h5")
    committed_types_file(m, out, "latest", "committed_types_latest.h5")
    user_defined_links_file(m, out)
    unparseable_attributes_file(m, out, "earliest", "unparseable_attributes_v1.h5")
    unparseable_attributes_file(m, out, "latest", "unparseable_attributes_latest.h5")
    shared_messages_file(m, out, "earliest", "shared_messages_v1.h5")
    shared_messages_file(m, out, "latest", "shared_messages_latest.h5")
    optional_filter_file(m, out)
    grids_file(m, out)
    compact_types_file(m, out)
    m.write()
    print("wrote fixtures for %d files into %s" % (len(m.files), out))


if __name__ == "__main__":
    main()
