#!/usr/bin/python3
"""Reads kerchunk references exported from a granule manifest the way kerchunk users do (fsspec's
ReferenceFileSystem + zarr-python v2) and compares every array with xarray's open_mfdataset values
written by make_cf_granules.py (reference.json and reference__<var>.bin in REFERENCE_DIR; a group's
variable group/var in reference__group__var.bin, read from the group of the references).

Usage: /usr/bin/python3 scripts/check_manifest_kerchunk.py REFS_JSON REFERENCE_DIR

Prints one line per array and `checked N arrays` last; exits 1 on the first mismatch.
"""

import json
import os
import sys

import fsspec
import numpy as np
import zarr

from check_kerchunk_refs import RefsMapping  # same directory: the script's own folder is on sys.path


def main():
    refs_path, ref_dir = sys.argv[1], sys.argv[2]
    with open(refs_path) as f:
        refs = json.load(f)
    fs = fsspec.filesystem("reference", fo=refs, remote_protocol="file")
    root = zarr.open_group(zarr.storage.KVStore(RefsMapping(fs)), mode="r")
    with open(os.path.join(ref_dir, "reference.json")) as f:
        meta = json.load(f)
    for name, m in sorted(meta.items()):
        want = np.fromfile(os.path.join(ref_dir, "reference__%s.bin" % name.replace("/", "__")),
                           dtype=m["dtype"])
        want = want.reshape(m["shape"])
        got = root[name][...]
        if got.shape != want.shape or not np.array_equal(got, want):
            sys.exit("%s: zarr gives %s, xarray %s, or the values differ" % (name, got.shape, want.shape))
        print("%s %s ok" % (name, list(got.shape)))
    print("checked %d arrays" % len(meta))


if __name__ == "__main__":
    main()
