"""Writes a small NetCDF-style HDF5 file for the examples (needs h5py: Debian's python3-h5py).

    /usr/bin/python3 examples/python/make_sample_h5.py examples/target/sample.h5

Dataset ``temperature``: float32, shape (time=24, lat=90, lon=180), chunks (1, 45, 90), gzip,
value = 100 * time + lat + lon / 1000, with dimension scales ``time``, ``lat``, ``lon`` (which
become the Spark column names).
"""

import os
import sys

import h5py
import numpy as np


def main(path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    t, la, lo = np.meshgrid(np.arange(24), np.arange(90), np.arange(180), indexing="ij")
    values = (100.0 * t + la + lo / 1000.0).astype("float32")
    with h5py.File(path, "w") as f:
        ds = f.create_dataset("temperature", data=values, chunks=(1, 45, 90), compression="gzip")
        ds.attrs["units"] = "K"
        for axis, (name, n) in enumerate((("time", 24), ("lat", 90), ("lon", 180))):
            f.create_dataset(name, data=np.arange(n, dtype="int32"))
            f[name].make_scale(name)
            ds.dims[axis].attach_scale(f[name])
    print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample.h5")
