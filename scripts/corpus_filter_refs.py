#!/usr/bin/python3
"""Finds the datasets of the shared real-file corpus that use the filters szip (4), nbit (5),
scaleoffset (6) or Blosc (32001), and writes what h5py reads from each, so the Java test compares
ArrayMorph's reading with libhdf5's on files other people made.

Usage: corpus_filter_refs.py CORPUS_DIR OUT_DIR
Writes OUT_DIR/manifest.json ({file, path, filters, dtype, shape, ref or h5py_error}) and one
little-endian C-order .bin per dataset h5py reads."""
import json
import os
import sys

import h5py
import hdf5plugin  # noqa: F401 - registers the Blosc plugin
import numpy as np

FILTERS = {4, 5, 6, 32001}
corpus, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
entries = []
for root, _, files in sorted(os.walk(corpus)):
    for fn in sorted(files):
        path = os.path.join(root, fn)
        rel = os.path.relpath(path, corpus)
        try:
            f = h5py.File(path, "r")
        except Exception:
            continue
        found = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                try:
                    plist = obj.id.get_create_plist()
                    ids = [plist.get_filter(i)[0] for i in range(plist.get_nfilters())]
                except Exception:
                    return
                if FILTERS & set(ids):
                    found.append((name, ids))

        try:
            f.visititems(visit)
        except Exception:
            pass
        for name, ids in found:
            d = f[name]
            e = {"file": rel, "path": "/" + name, "filters": ids, "dtype": d.dtype.str,
                 "shape": list(d.shape)}
            try:
                a = np.asarray(d[()])
                if a.dtype.kind not in "iuf":
                    raise TypeError("not numeric: " + a.dtype.str)
                ref = "%d.bin" % len(entries)
                le = a.astype(a.dtype.newbyteorder("<"), copy=False)
                with open(os.path.join(out, ref), "wb") as b:
                    b.write(np.ascontiguousarray(le).tobytes())
                e["ref"] = ref
            except Exception as ex:
                e["h5py_error"] = str(ex)
            entries.append(e)
        f.close()
with open(os.path.join(out, "manifest.json"), "w") as m:
    json.dump(entries, m, indent=1)
print("%d datasets with szip/nbit/scaleoffset/blosc" % len(entries))
