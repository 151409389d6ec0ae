#!/usr/bin/env python3
"""Virtual datasets (VDS) written by Debian's h5py/libhdf5 1.10, with h5py's read-back as reference.

Usage: make_vds_fixtures.py OUTPUT_DIR. Writes each VDS beside its source files and
manifest.json: per VDS file, its virtual datasets with shape, dtype, fill value and the reference
bytes (little-endian, C order) h5py reads, sources resolved in the same folder."""
import json
import os
import sys

import h5py
import numpy as np
from h5py import h5d, h5p, h5s, h5t

UNLIM = h5s.UNLIMITED


def source(out, fname, name, data, maxshape=None):
    with h5py.File(os.path.join(out, fname), "w") as f:
        f.create_dataset(name, data=data, maxshape=maxshape,
                         chunks=True if maxshape else None)


def hyperslab(shape, start, stride, count, block, maxshape=None):
    space = h5s.create_simple(shape, maxshape or shape)
    space.select_hyperslab(start, count, stride, block)
    return space


def low_level_vds(out, fname, name, shape, maxshape, dtype, fill, mappings):
    """A VDS through H5Pset_virtual: (virtual space, source file, source name, source space)."""
    dcpl = h5p.create(h5p.DATASET_CREATE)
    dcpl.set_fill_value(np.array(fill, dtype=dtype))
    for vspace, sfile, sname, sspace in mappings:
        dcpl.set_virtual(vspace, sfile.encode(), sname.encode(), sspace)
    with h5py.File(os.path.join(out, fname), "w") as f:
        space = h5s.create_simple(shape, maxshape)
        h5d.create(f.id, name.encode(), h5t.py_create(np.dtype(dtype)), space, dcpl=dcpl)


def fixed_sources(out):
    """Fixed selections: two sibling files, a strided selection and a source in the same file."""
    a = np.arange(4 * 6, dtype="<i4").reshape(4, 6)
    b = (1000 + np.arange(4 * 6, dtype="<i4")).reshape(4, 6)
    source(out, "vds_fixed_a.h5", "data", a)
    source(out, "vds_fixed_b.h5", "group/data", b)
    layout = h5py.VirtualLayout(shape=(9, 7), dtype="<i4")
    layout[0:4, 0:6] = h5py.VirtualSource("vds_fixed_a.h5", "data", shape=(4, 6))
    # Every other row of b, into rows 4, 6 and 8 (a strided virtual selection).
    layout[4:9:2, 1:7] = h5py.VirtualSource("vds_fixed_b.h5", "group/data", shape=(4, 6))[1:4, :]
    with h5py.File(os.path.join(out, "vds_fixed.h5"), "w") as f:
        own = f.create_dataset("own", data=np.arange(9, dtype="<i4") * -1)
        layout[0:9, 6] = h5py.VirtualSource(own)
        f.create_virtual_dataset("vds", layout, fillvalue=-7)


def missing_source(out):
    """One source file exists, the other does not: libhdf5 reads the fill value for it."""
    source(out, "vds_missing_a.h5", "x", np.linspace(0, 1, 10, dtype="<f8"))
    layout = h5py.VirtualLayout(shape=(20,), dtype="<f8")
    layout[0:10] = h5py.VirtualSource("vds_missing_a.h5", "x", shape=(10,))
    layout[10:20] = h5py.VirtualSource("vds_missing_gone.h5", "x", shape=(10,))
    with h5py.File(os.path.join(out, "vds_missing.h5"), "w") as f:
        f.create_virtual_dataset("vds", layout, fillvalue=-1.5)


def unlimited_sources(out):
    """Unlimited selections: blocks growing with their sources (libhdf5's "1_vds" pattern) and
    every third row from each of three sources (an unlimited count with a stride)."""
    rows = {"a": 5, "b": 3, "c": 4}
    for i, (n, k) in enumerate(rows.items()):
        data = (100 * (i + 1) + np.arange(k * 2 * 3, dtype="<i2")).reshape(k, 2, 3)
        source(out, "vds_unlim_%s.h5" % n, "s", data, maxshape=(None, 2, 3))
    maps = []
    for i, n in enumerate(rows):
        v = hyperslab((1, 6, 3), (0, 2 * i, 0), (1, 1, 1), (1, 1, 1), (UNLIM, 2, 3), (UNLIM, 6, 3))
        s = hyperslab((1, 2, 3), (0, 0, 0), (1, 1, 1), (1, 1, 1), (UNLIM, 2, 3), (UNLIM, 2, 3))
        maps.append((v, "vds_unlim_%s.h5" % n, "s", s))
    low_level_vds(out, "vds_unlimited_blocks.h5", "vds", (1, 6, 3), (UNLIM, 6, 3), "<i2", -9, maps)
    maps = []
    for i, n in enumerate(rows):
        v = hyperslab((1, 2, 3), (i, 0, 0), (3, 1, 1), (UNLIM, 1, 1), (1, 2, 3), (UNLIM, 2, 3))
        s = hyperslab((1, 2, 3), (0, 0, 0), (1, 1, 1), (1, 1, 1), (UNLIM, 2, 3), (UNLIM, 2, 3))
        maps.append((v, "vds_unlim_%s.h5" % n, "s", s))
    low_level_vds(out, "vds_unlimited_interleaved.h5", "vds", (1, 2, 3), (UNLIM, 2, 3), "<i2", 0, maps)


def printf_sources(out):
    """Source file names with %b: block k of an unlimited count maps to file k, up to the first
    missing one (files 0, 1, 2 and 4 exist: libhdf5 stops at 3)."""
    for k in (0, 1, 2, 4):
        source(out, "vds_frames_%d.h5" % k, "frame",
               (10 * k + np.arange(2 * 4, dtype="<f4")).reshape(2, 4))
    v = hyperslab((2, 4), (0, 0), (2, 1), (UNLIM, 1), (2, 4), (UNLIM, 4))
    s = h5s.create_simple((2, 4))
    s.select_all()
    low_level_vds(out, "vds_printf.h5", "vds", (2, 4), (UNLIM, 4), "<f4", 0.5,
                  [(v, "vds_frames_%b.h5", "frame", s)])


def cycle(out):
    """A VDS whose one mapping is itself: refused by name (h5py cannot read it either)."""
    layout = h5py.VirtualLayout(shape=(4,), dtype="<i4")
    layout[:] = h5py.VirtualSource(".", "/loop", shape=(4,))
    with h5py.File(os.path.join(out, "vds_cycle.h5"), "w") as f:
        f.create_virtual_dataset("loop", layout, fillvalue=3)


def record(out, manifest, fname):
    with h5py.File(os.path.join(out, fname), "r") as f:
        entries = []
        for name, d in f.items():
            if not (isinstance(d, h5py.Dataset) and d.is_virtual):
                continue
            data = np.asarray(d[()])
            le = data.astype(data.dtype.newbyteorder("<"), copy=False)
            ref = fname + "__" + name + ".bin"
            with open(os.path.join(out, ref), "wb") as r:
                r.write(np.ascontiguousarray(le).tobytes(order="C"))
            entries.append({"path": d.name, "shape": list(d.shape), "dtype": data.dtype.str[1:],
                            "fill_value": float(d.fillvalue), "ref": ref})
        manifest[fname] = entries


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_vds_fixtures.py OUTPUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    fixed_sources(out)
    missing_source(out)
    unlimited_sources(out)
    printf_sources(out)
    cycle(out)
    manifest = {}
    cwd = os.getcwd()
    os.chdir(out)  # libhdf5 also looks for relative source names from the working directory
    try:
        for fname in ("vds_fixed.h5", "vds_missing.h5", "vds_unlimited_blocks.h5",
                      "vds_unlimited_interleaved.h5", "vds_printf.h5"):
            record(out, manifest, fname)
    finally:
        os.chdir(cwd)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version,
                   "files": manifest}, f, indent=1, sort_keys=True)
    print("wrote %d VDS files into %s" % (len(manifest), out))


if __name__ == "__main__":
    main()
