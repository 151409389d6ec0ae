#!/usr/bin/python3
"""Writes ICESat-2-like NetCDF4 granules (netCDF4-python): beam groups whose record dimension
`delta_time` has its own length per granule, and xarray's reading of them.

Usage: /usr/bin/python3 scripts/make_beam_granules.py SPEC OUTPUT_DIR

SPEC is a comma-separated list of key=value (all optional):
  count=3        granules to write, named beams_NNNN.nc with NNNN = first, first+1, ...
  first=0        number of the first granule (its delta_time values start at first * 100)
  groups=gt1l.gt2r  the beam groups, separated by dots
  bins=3         length of the root dimension `bin` (no coordinate variable)
  own_dim=1      0: the beam groups define no `delta_time` of their own, so their variables run
                 along the root's (4 records per granule)
  short=0        1: the last group's `signal` holds 2 records fewer than its group's delta_time
  empty=-1       granule number whose last group holds no record (a beam without data)
  reference=1    also write xarray's open_mfdataset values of every beams_*.nc in OUTPUT_DIR
  writer=netcdf4 h5py: write HDF5 with h5py dimension scales instead, as ICESat-2's products are
                 (groups e.g. gt1l/land_ice_segments; only delta_time and signal; no `bin` scale,
                 so signal's second dimension is unnamed). netCDF4-python cannot open such files
                 (nested groups of h5py scales), so the reference is h5py's own concatenation of
                 each group's datasets, in granule order

The root holds `delta_time(delta_time)` float64 "seconds since 2018-01-01" (4 records per granule,
values first * 100 + 10 i) and `rate(delta_time, bin)` float32, chunks (2, bins), zlib. Beam group k
of granule n defines its own unlimited `delta_time` of 2 * (1 + (3 n + k) % 4) records (values
n * 100 + 0.5 k + 5 i), `h_li(delta_time)` float32 and `signal(delta_time, bin)` float32, chunks
(2, bins), zlib with shuffle. With reference=1 the script writes, for the root and each group,
xarray's open_mfdataset(files[, group=G], combine="nested", concat_dim="delta_time",
decode_times=False) values as `reference__[G__]<var>.bin` (C-order little-endian) and their dtype
and shape in reference.json (keys `var` and `G/var`).
"""

import glob
import json
import os
import sys

import netCDF4
import numpy as np

from make_cf_granules import generate, parse, write_values

ROOT_RECORDS = 4


def group_records(number, k):
    return 2 * (1 + (3 * number + k) % 4)


def write_granule(path, number, opts):
    groups = opts.get("groups", "gt1l.gt2r").split(".")
    bins = int(opts.get("bins", 3))
    own_dim = opts.get("own_dim", "1") == "1"
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.title = "ArrayMorph ICESat-2-like beam granule fixture"
        nc.granule = number
        nc.createDimension("delta_time", None)
        nc.createDimension("bin", bins)
        t = nc.createVariable("delta_time", "f8", ("delta_time",))
        t.units = "seconds since 2018-01-01"
        t[:] = number * 100.0 + 10.0 * np.arange(ROOT_RECORDS)
        rate = nc.createVariable("rate", "f4", ("delta_time", "bin"), zlib=True,
                                 chunksizes=(2, bins))
        rate[:] = (number * 1000 + np.arange(ROOT_RECORDS * bins)).reshape(ROOT_RECORDS, bins)
        for k, name in enumerate(groups):
            g = nc.createGroup(name)
            g.beam = name
            n = group_records(number, k) if own_dim else ROOT_RECORDS
            if int(opts.get("empty", -1)) == number and k == len(groups) - 1:
                n = 0
            if own_dim:
                g.createDimension("delta_time", None)
                gt = g.createVariable("delta_time", "f8", ("delta_time",))
                gt.units = "seconds since 2018-01-01"
                gt[:] = number * 100.0 + 0.5 * k + 5.0 * np.arange(n)
            h = g.createVariable("h_li", "f4", ("delta_time",))
            h.units = "m"
            h[:] = 100.0 * k + number + 0.25 * np.arange(n)
            s = g.createVariable("signal", "f4", ("delta_time", "bin"), zlib=True, shuffle=True,
                                 chunksizes=(2, bins))
            stored = n - 2 if opts.get("short") == "1" and k == len(groups) - 1 else n
            s[:stored] = (10000.0 * (k + 1) + 100.0 * number
                          + np.arange(stored * bins).reshape(stored, bins) / 8.0)


def write_granule_h5py(path, number, opts):
    import h5py

    groups = opts.get("groups", "gt1l.gt2r").split(".")
    bins = int(opts.get("bins", 3))
    with h5py.File(path, "w") as f:
        f.attrs["granule"] = number
        t = f.create_dataset("delta_time", data=number * 100.0 + 10.0 * np.arange(ROOT_RECORDS),
                             maxshape=(None,), chunks=(ROOT_RECORDS,))
        t.make_scale("delta_time")
        t.attrs["units"] = "seconds since 2018-01-01"
        for k, name in enumerate(groups):
            g = f.require_group(name)
            n = group_records(number, k)
            gt = g.create_dataset("delta_time", data=number * 100.0 + 0.5 * k + 5.0 * np.arange(n),
                                  maxshape=(None,), chunks=(2,))
            gt.make_scale("delta_time")
            gt.attrs["units"] = "seconds since 2018-01-01"
            values = (10000.0 * (k + 1) + 100.0 * number
                      + np.arange(n * bins).reshape(n, bins) / 8.0).astype("f4")
            s = g.create_dataset("signal", data=values, chunks=(2, bins), maxshape=(None, bins),
                                 compression="gzip", shuffle=True)
            s.dims[0].attach_scale(gt)


def write_reference_h5py(out_dir, groups):
    import h5py

    files = sorted(glob.glob(os.path.join(out_dir, "beams_*.nc")))
    meta = {}
    for name in ["delta_time"] + [g + "/" + v for g in groups for v in ("delta_time", "signal")]:
        parts = []
        for path in files:
            with h5py.File(path, "r") as f:
                parts.append(f[name][...])
        values = np.ascontiguousarray(np.concatenate(parts))
        values = values.astype(values.dtype.newbyteorder("<"))
        with open(os.path.join(out_dir, "reference__%s.bin" % name.replace("/", "__")), "wb") as out:
            out.write(values.tobytes())
        meta[name] = {"dtype": values.dtype.str, "shape": list(values.shape)}
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(meta, f)


def write_reference(out_dir, groups):
    import xarray as xr

    files = sorted(glob.glob(os.path.join(out_dir, "beams_*.nc")))
    meta = {}
    for group in [None] + groups:
        ds = xr.open_mfdataset(files, group=group, combine="nested", concat_dim="delta_time",
                               decode_times=False, parallel=False, data_vars="minimal")
        write_values(ds, ["delta_time", "rate", "h_li", "signal"],
                     "" if group is None else group + "/", out_dir, meta)
        ds.close()
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(meta, f)


def main():
    h5 = parse(sys.argv[1]).get("writer") == "h5py"
    generate(write_granule_h5py if h5 else write_granule, "beams_%04d.nc", 3,
             lambda out_dir, opts: (write_reference_h5py if h5 else write_reference)(
                 out_dir, opts.get("groups", "gt1l.gt2r").split(".")))


if __name__ == "__main__":
    main()
