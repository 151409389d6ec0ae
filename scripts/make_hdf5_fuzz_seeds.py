#!/usr/bin/python3
"""Writes the small real HDF5 files that seed Hdf5FuzzTest (core/src/test/java/io/arraymorph/fuzz).

Usage: /usr/bin/python3 scripts/make_hdf5_fuzz_seeds.py
Each file is a few KiB, so the fuzzer mutates headers, indexes and chunks rather than bulk data.
Needs the packages of scripts/install-fixture-deps.sh.
"""

import os

import h5py
import hdf5plugin
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "io",
                   "arraymorph", "fuzz", "Hdf5FuzzTestInputs", "openListAndRead")


def main():
    os.makedirs(OUT, exist_ok=True)
    a = (np.arange(12 * 10, dtype="i2").reshape(12, 10) * 37) % 1000
    with h5py.File(os.path.join(OUT, "classic_gzip_shuffle"), "w") as f:
        f.create_dataset("g", data=a, chunks=(5, 4), compression="gzip", shuffle=True, fletcher32=True)
        f.create_dataset("c", data=np.arange(6, dtype="f8"))
    with h5py.File(os.path.join(OUT, "latest_indexes"), "w", libver="latest") as f:
        f.create_dataset("fixed", data=a, chunks=(5, 4))
        d = f.create_dataset("ext", shape=(7, 3), maxshape=(None, 3), dtype="u4", chunks=(2, 3))
        d[...] = np.arange(21, dtype="u4").reshape(7, 3)
        d = f.create_dataset("bt2", shape=(6, 6), maxshape=(None, None), dtype="f4", chunks=(4, 4),
                             compression="gzip")
        d[...] = np.arange(36, dtype="f4").reshape(6, 6)
    with h5py.File(os.path.join(OUT, "plugin_filters"), "w") as f:
        f.create_dataset("lz4", data=a, chunks=(6, 5), **hdf5plugin.LZ4(nbytes=24))
        f.create_dataset("bs", data=a.astype("f4"), chunks=(12, 10),
                         **hdf5plugin.Bitshuffle(nelems=16, cname="lz4"))
        f.create_dataset("bs0", data=a[:3], chunks=(3, 10), **hdf5plugin.Bitshuffle(cname="none"))
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
