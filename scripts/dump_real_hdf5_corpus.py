#!/usr/bin/python3
"""Dumps h5py's view of every dataset of a folder of real HDF5/NetCDF4 files (the shared corpus).

Usage: /usr/bin/python3 scripts/dump_real_hdf5_corpus.py CORPUS_DIR OUTPUT_DIR

For each file and dataset h5py reads, `OUTPUT_DIR/manifest.json` records the dataset as
 - "numeric": shape, zarr dtype and the values as raw little-endian bytes in C order (`<n>.bin`);
 - "typed": strings, enums, booleans, compounds and array types, with h5py's decoded values as JSON
   (the same encoding as make_hdf5_fixtures.py's typed datasets);
 - "other": kinds neither side compares (references, opaque, variable-length sequences), by name;
 - "h5py_error": datasets h5py itself cannot read (e.g. filters without a plugin), with its error.
Files h5py cannot open are listed under "unopenable".

Traps (see the corpus README): Debian's plugin folder holds an lzf plugin libhdf5 1.10 cannot load,
which ends its whole plugin search, so run with HDF5_PLUGIN_PATH set to a folder without it (this
script builds one under OUTPUT_DIR). The README also says h5py misreads `DSET_EA` of the
`h5fc_*.h5` files (their generator wrote arange(24)); h5py's values are kept: those files were
written by a pre-release libhdf5 that numbered extensible-array chunks over the current shape, and
libhdf5 1.10.8 (h5py and h5dump alike) and HDF5's current H5Dearray.c number them over the maximum
shape, finding only the chunks whose positions agree.
"""

import glob
import json
import os
import signal
import sys
import time


def plugin_dir(out):
    """A folder of Debian's filter plugins without the lzf one (it stops libhdf5 1.10's search)."""
    d = os.path.join(out, "plugins")
    os.makedirs(d, exist_ok=True)
    for src in glob.glob("/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/*.so"):
        if "lzf" in os.path.basename(src).lower():
            continue
        dst = os.path.join(d, os.path.basename(src))
        if not os.path.exists(dst):
            os.symlink(src, dst)
    return d


if __name__ == "__main__" and os.environ.get("HDF5_PLUGIN_PATH") is None:
    os.environ["HDF5_PLUGIN_PATH"] = plugin_dir(sys.argv[2])
    os.execv(sys.executable, [sys.executable] + sys.argv)

import h5py  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_hdf5_fixtures import ZARR_NAMES, compound_values, utf8  # noqa: E402

# Larger datasets (mostly never-written ones declaring gigabytes) are listed as "too_large".
MAX_BYTES = 64 << 20
# A file whose reading takes longer (or crashes libhdf5: some are CVE reproducers) is "unopenable".
FILE_TIMEOUT_S = 60


def numeric_values(dset):
    t = dset.id.get_type()
    if t.get_class() == h5py.h5t.FLOAT and t.get_size() == 2 and t.get_fields()[2] == 8:
        # bfloat16 (HDF5 2.0; 8 exponent bits): h5py's dtype says float16, so have libhdf5
        # convert it to float32, which holds every bfloat16 exactly.
        out = np.empty(dset.shape, "f4")
        dset.read_direct(out)
        return out
    return dset[()]


def kind_of(dt):
    if h5py.check_string_dtype(dt) is not None and dt.kind in "SOU":
        return "string"
    if dt.kind == "b":
        return "bool"
    if h5py.check_enum_dtype(dt) is not None:
        return "enum"
    if dt.names is not None or dt.subdtype is not None:
        return "compound" if dt.names is not None else "array"
    if dt.kind in "iuf" and dt.str[1:] in ZARR_NAMES:
        return "numeric"
    return None


def dump_file(path, rel, out, file_no):
    entry = {"numeric": [], "typed": [], "other": [], "h5py_error": [], "too_large": []}
    with h5py.File(path, "r") as f:
        found = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found.append(obj)

        f.visititems(visit)
        for d in found:
            try:
                kind = kind_of(d.dtype)
                if kind is None:
                    entry["other"].append({"path": d.name, "dtype": str(d.dtype)})
                    continue
                if int(d.size) * d.dtype.itemsize > MAX_BYTES:
                    entry["too_large"].append({"path": d.name, "shape": list(d.shape)})
                    continue
                if kind == "numeric":
                    arr = np.asarray(numeric_values(d))
                    le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
                    ref = "%d_%d.bin" % (file_no, len(entry["numeric"]))
                    with open(os.path.join(out, ref), "wb") as fo:
                        fo.write(np.ascontiguousarray(le).tobytes(order="C"))
                    entry["numeric"].append({
                        "path": d.name, "shape": list(d.shape), "dtype": ZARR_NAMES[le.dtype.str[1:]],
                        "ref": ref})
                    continue
                if kind == "string":
                    data = d[()]
                    values = [utf8(v) for v in np.asarray(data, dtype=object).reshape(-1)]
                    rec = {"path": d.name, "kind": "string", "shape": list(d.shape), "values": values}
                elif kind == "bool":
                    rec = {"path": d.name, "kind": "bool", "shape": list(d.shape),
                           "values": [bool(v) for v in np.asarray(d[()]).reshape(-1)]}
                elif kind == "enum":
                    mapping = h5py.check_enum_dtype(d.dtype)
                    label = {int(c): k for k, c in mapping.items()}
                    codes = [int(v) for v in np.asarray(d[()]).reshape(-1)]
                    rec = {"path": d.name, "kind": "enum", "shape": list(d.shape),
                           "values": [label.get(c) for c in codes], "codes": codes}
                else:
                    rec = {"path": d.name, "kind": kind, "shape": list(d.shape),
                           "values": compound_values(d)}
                json.dumps(rec)  # values h5py decodes to something JSON cannot hold: "other"
                entry["typed"].append(rec)
            except Exception as e:  # noqa: BLE001 - h5py's own failure is data for the suite
                entry["h5py_error"].append({"path": d.name, "error": "%s: %s" % (type(e).__name__, e)})
    return entry


def in_child(work, out):
    """Runs `work` in a forked child (libhdf5 may crash or hang on a corrupt file)."""
    result = os.path.join(out, "result.json")
    if os.path.exists(result):
        os.remove(result)
    pid = os.fork()
    if pid == 0:
        try:
            r = {"entry": work()}
        except Exception as e:  # noqa: BLE001
            r = {"error": "%s: %s" % (type(e).__name__, e)}
        with open(result, "w") as fo:
            json.dump(r, fo)
        os._exit(0)
    deadline = time.time() + FILE_TIMEOUT_S
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"error": "h5py took over %d s" % FILE_TIMEOUT_S}
        time.sleep(0.01)
    if not os.path.exists(result):
        return {"error": "h5py crashed (status %d)" % status}
    with open(result) as fi:
        return json.load(fi)


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    manifest = {"files": {}, "unopenable": {}}
    file_no = 0
    for dirpath, _, names in sorted(os.walk(corpus)):
        for n in sorted(names):
            if not (n.endswith(".h5") or n.endswith(".nc")):
                continue
            path = os.path.join(dirpath, n)
            rel = os.path.relpath(path, corpus)
            file_no += 1
            result = in_child(lambda: dump_file(path, rel, out, file_no), out)
            if "error" in result:
                manifest["unopenable"][rel] = result["error"]
            else:
                manifest["files"][rel] = result["entry"]
    tmp = os.path.join(out, "manifest.json.tmp")
    with open(tmp, "w") as fo:
        json.dump(manifest, fo)
    os.replace(tmp, os.path.join(out, "manifest.json"))


if __name__ == "__main__":
    main()
