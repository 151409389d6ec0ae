#!/usr/bin/python3
"""Reads kerchunk references the way kerchunk users do (fsspec's ReferenceFileSystem + zarr-python v2)
and compares every referenced array with h5py's values of the HDF5 file they point at.

Usage: /usr/bin/python3 scripts/check_kerchunk_refs.py REFS_JSON HDF5_FILE

Prints one line per array and `checked N arrays` last; exits 1 on the first mismatch. An independent
check of ArrayMorph's KerchunkWriter: no ArrayMorph code reads the JSON here.
"""

import collections.abc
import json
import sys

import fsspec
import h5py
import numpy as np
import zarr


class RefsMapping(collections.abc.MutableMapping):
    """The references as a plain mapping, so zarr reads a missing chunk key as the fill value."""

    def __init__(self, fs):
        self.fs = fs

    def __getitem__(self, key):
        try:
            return self.fs.cat(key)
        except (FileNotFoundError, KeyError) as e:
            raise KeyError(key) from e

    def __iter__(self):
        return iter(self.fs.references)

    def __len__(self):
        return len(self.fs.references)

    def __setitem__(self, key, value):
        raise TypeError("read-only")

    def __delitem__(self, key):
        raise TypeError("read-only")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check_kerchunk_refs.py REFS_JSON HDF5_FILE")
    refs_path, h5_path = sys.argv[1], sys.argv[2]
    with open(refs_path) as f:
        refs = json.load(f)
    fs = fsspec.filesystem("reference", fo=refs, remote_protocol="file")
    root = zarr.open_group(zarr.storage.KVStore(RefsMapping(fs)), mode="r")
    arrays = [k[: -len("/.zarray")] for k in refs["refs"] if k.endswith("/.zarray")]
    if not arrays:
        sys.exit("no arrays in %s" % refs_path)
    with h5py.File(h5_path, "r") as h5:
        for name in sorted(arrays):
            got = root[name][...]
            want = h5[name][()]
            if got.shape != want.shape or got.dtype.newbyteorder("=") != want.dtype.newbyteorder("="):
                sys.exit("%s: zarr gives %s %s, h5py %s %s" % (name, got.shape, got.dtype, want.shape, want.dtype))
            if not np.array_equal(got, want, equal_nan=want.dtype.kind == "f"):
                sys.exit("%s: values differ from h5py's" % name)
            print("%s %s %s ok" % (name, list(got.shape), got.dtype.str))
    print("checked %d arrays" % len(arrays))


if __name__ == "__main__":
    main()
