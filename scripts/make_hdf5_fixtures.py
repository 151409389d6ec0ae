#!/usr/bin/python3
"""Writes HDF5 and NetCDF4 test fixtures with real libhdf5 (Debian h5py / netCDF4).

Usage: /usr/bin/python3 scripts/make_hdf5_fixtures.py OUTPUT_DIR

For every readable dataset the script also writes the values h5py reads back, as raw little-endian
bytes in C order (`<file>__<path>.bin`), and describes everything in `manifest.json`, so the Java tests
compare every element against libhdf5 rather than against expectations written by hand.

Install the packages with scripts/install-fixture-deps.sh. Output is deterministic (fixed seeds).
"""

import json
import os
import sys

import h5py
import hdf5plugin  # noqa: F401 - registers the plugin filters (Debian: python3-hdf5plugin)
import numpy as np
from h5py import h5d, h5p, h5s, h5t

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
            "ref": ref,
        }
        if dims is not None:
            entry["dimension_names"] = dims
        if expect:
            entry.update(expect)
        self.files.setdefault(fname, {"datasets": [], "unsupported": []})["datasets"].append(entry)

    def unsupported(self, fname, path, feature):
        self.files.setdefault(fname, {"datasets": [], "unsupported": []})["unsupported"].append(
            {"path": path, "feature": feature})

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
    """libhdf5's own chunk index: [chunk coords..., byte offset, stored size, filter mask] per chunk."""
    n = allocated_chunks(dset)
    if n is None:
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


def plugin_filters_file(m, out):
    """Registered plugin filters satellite and physics files use: lz4 (32004), bitshuffle (32008)
    with no compression, lz4 and zstd, zstd (32015), blosc (32001, unsupported). Chunk shapes hold a
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

        g = f.create_group("blosc")
        g.create_dataset("lz4_shuffle", data=values((60, 50), "f4"), chunks=(25, 20),
                         **hdf5plugin.Blosc(cname="lz4", shuffle=hdf5plugin.Blosc.SHUFFLE))
        m.unsupported(fname, "/blosc/lz4_shuffle", "blosc")


def unsupported_file(m, out):
    """Features the reader refuses, each with an error naming the feature and the dataset."""
    fname = "unsupported.h5"
    with h5py.File(os.path.join(out, fname), "w", libver="latest") as f:
        m.record(fname, f.create_dataset("plain", data=np.arange(10, dtype="i4")))
        f.create_dataset("compound", data=np.zeros(4, dtype=[("a", "i4"), ("b", "f8")]))
        m.unsupported(fname, "/compound", "compound")
        f.create_dataset("strings", data=np.array([b"ab", b"cd"], dtype="S2"))
        m.unsupported(fname, "/strings", "string")
        f.create_dataset("enum", data=np.array([0, 1, 1], dtype=h5py.enum_dtype({"A": 0, "B": 1}, "i1")))
        m.unsupported(fname, "/enum", "enum")
        f.create_dataset("szip", data=np.arange(200, dtype="i4").reshape(20, 10), chunks=(10, 10),
                         compression="szip")
        m.unsupported(fname, "/szip", "szip")
        f.create_dataset("scaleoffset", data=np.arange(100, dtype="i4"), chunks=(50,), scaleoffset=0)
        m.unsupported(fname, "/scaleoffset", "scaleoffset")
        f["external"] = h5py.ExternalLink("other.h5", "/data")
        m.unsupported(fname, "/external", "external link")
        # jhdf parses every header of a group when listing it, so the virtual dataset gets its own group.
        layout = h5py.VirtualLayout(shape=(10,), dtype="i4")
        layout[:] = h5py.VirtualSource(".", "/plain", shape=(10,))
        f.create_group("vds").create_virtual_dataset("virtual", layout)
        m.unsupported(fname, "/vds/virtual", "virtual")


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
    unsupported_file(m, out)
    m.write()
    print("wrote fixtures for %d files into %s" % (len(m.files), out))


if __name__ == "__main__":
    main()
