#!/usr/bin/python3
"""Writes a collection of CF NetCDF4 granules (netCDF4-python) and xarray's reading of it.

Usage: /usr/bin/python3 scripts/make_cf_granules.py SPEC OUTPUT_DIR

SPEC is a comma-separated list of key=value (all optional):
  count=4        granules to write, named granule_NNNN.nc with NNNN = first, first+1, ...
  first=0        number of the first granule (its time steps start at day first * steps)
  steps=8        time steps per granule (the unlimited dimension `time`)
  lat=90, lon=180  grid size
  chunk_lat=90   chunk length along lat (chunks are (1, chunk_lat, lon))
  dtype=f4       dtype of the data variable `tas`
  shift=0        days added to every time value (a nonzero shift makes granules overlap)
  shuffle=1      byte-shuffle `tas` before zlib (netCDF4-python's default); 0 writes plain zlib
  zlib=1         compress `tas` (level 4); 0 stores it uncompressed, so a granule's size does not
                 depend on its values (same-sized replacements)
  seed=1000      values of granule N come from seed + N
  reference=1    also write xarray's open_mfdataset values of every granule in OUTPUT_DIR
  group=NAME     write `tas` in the sub-group NAME, nested when NAME is a path (model/run1); the
                 coordinates stay in the root group unless group_time=1
  static=1       also write `orog(lat, lon)` (float32, the same in every granule) beside `tas`
  root_time=0    leave the root's `time` coordinate variable out (its dimension stays)
  group_time=1   the innermost group defines its own unlimited `time` dimension and coordinate
                 (values: the root's time + 0.5), which its `tas` uses; group_time=dim defines
                 the dimension only, without a coordinate variable

Each granule holds `tas(time, lat, lon)` (zlib level 4 unless zlib=0, values from a fixed seed and the granule
number), `time(time)` float64 "days since 2021-01-01", `lat(lat)` and `lon(lon)` float32, global
attributes `title` and `granule`. With reference=1 the script opens every granule_*.nc of the
directory with xarray.open_mfdataset (decode_times=False, so time stays in stored units) and writes
`reference__<var>.bin` (C-order little-endian values) and `reference.json` ({var: {dtype, shape}});
with group=NAME it also opens the granules with open_mfdataset(group=NAME) and writes the group's
variables as `reference__<NAME with / as __>__<var>.bin` (keys `NAME/var` in reference.json).
"""

import glob
import json
import os
import sys

import netCDF4
import numpy as np


def parse(spec):
    out = {}
    for part in spec.split(","):
        if part.strip():
            k, v = part.split("=")
            out[k.strip()] = v.strip()
    return out


def write_granule(path, number, opts):
    steps = int(opts.get("steps", 8))
    nlat = int(opts.get("lat", 90))
    nlon = int(opts.get("lon", 180))
    chunk_lat = int(opts.get("chunk_lat", nlat))
    dtype = opts.get("dtype", "f4")
    shift = float(opts.get("shift", 0))
    rng = np.random.default_rng(int(opts.get("seed", 1000)) + number)
    compress = opts.get("zlib", "1") == "1"
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.title = "ArrayMorph CF granule fixture"
        nc.granule = number
        nc.createDimension("time", None)
        nc.createDimension("lat", nlat)
        nc.createDimension("lon", nlon)
        t = None
        if opts.get("root_time", "1") == "1":
            t = nc.createVariable("time", "f8", ("time",))
            t.units = "days since 2021-01-01"
            t.calendar = "standard"
            t.standard_name = "time"
        la = nc.createVariable("lat", "f4", ("lat",))
        la.units = "degrees_north"
        lo = nc.createVariable("lon", "f4", ("lon",))
        lo.units = "degrees_east"
        holder = nc
        for part in opts.get("group", "").split("/"):
            if part:
                holder = holder.createGroup(part)
                holder.group_note = "group " + part
        if opts.get("group_time") == "dim":
            holder.createDimension("time", None)
        if opts.get("group_time") == "1":
            holder.createDimension("time", None)
            gt = holder.createVariable("time", "f8", ("time",))
            gt.units = "days since 2021-01-01"
            gt.standard_name = "time"
            gt[:] = np.arange(number * steps, (number + 1) * steps, dtype="f8") + shift + 0.5
        v = holder.createVariable(
            "tas", dtype, ("time", "lat", "lon"), zlib=compress, complevel=4,
            shuffle=compress and opts.get("shuffle", "1") == "1",
            chunksizes=(1, chunk_lat, nlon))
        if opts.get("static") == "1":
            o = holder.createVariable("orog", "f4", ("lat", "lon"), zlib=True)
            o.units = "m"
            o[:] = np.arange(nlat * nlon, dtype="f4").reshape(nlat, nlon) * 10.0
        v.units = "K"
        v.long_name = "near-surface air temperature"
        la[:] = np.linspace(-89.0, 89.0, nlat, dtype="f4")
        lo[:] = np.linspace(0.0, 358.0, nlon, dtype="f4")
        if t is not None:
            t[:] = np.arange(number * steps, (number + 1) * steps, dtype="f8") + shift
        base = 250.0 + 40.0 * rng.random((steps, nlat, nlon))
        v[:] = base.astype(dtype)


def write_values(ds, names, prefix, out_dir, meta):
    for name in names:
        if name not in ds.variables:
            continue
        values = np.ascontiguousarray(ds[name].values)
        values = values.astype(values.dtype.newbyteorder("<"))
        key = prefix + name
        with open(os.path.join(out_dir, "reference__%s.bin" % key.replace("/", "__")), "wb") as f:
            f.write(values.tobytes())
        meta[key] = {"dtype": values.dtype.str, "shape": list(values.shape)}


def open_collection(files, group=None):
    """xarray's reading of the granules along `time` (open_mfdataset)."""
    import xarray as xr

    if group is None:
        return xr.open_mfdataset(files, combine="by_coords", decode_times=False, parallel=False)
    return xr.open_mfdataset(files, group=group, combine="nested", concat_dim="time",
                             decode_times=False, parallel=False, data_vars="minimal")


def write_reference(out_dir, group):
    files = sorted(glob.glob(os.path.join(out_dir, "granule_*.nc")))
    meta = {}
    ds = open_collection(files)
    write_values(ds, ["tas", "time", "lat", "lon"], "", out_dir, meta)
    ds.close()
    if group:
        # xarray's own reading of the group: its variables only, along its `time` dimension.
        ds = open_collection(files, group)
        write_values(ds, ["tas", "time", "orog"], group + "/", out_dir, meta)
        ds.close()
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(meta, f)


def generate(write, pattern, count, reference):
    """Writes granules `pattern % n` with write(path, n, opts) from SPEC (count=, first=) into
    OUTPUT_DIR (sys.argv), then reference(out_dir, opts) unless reference=0."""
    opts = parse(sys.argv[1])
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    first = int(opts.get("first", 0))
    for n in range(first, first + int(opts.get("count", count))):
        write(os.path.join(out_dir, pattern % n), n, opts)
    if opts.get("reference", "1") == "1":
        reference(out_dir, opts)


def main():
    generate(write_granule, "granule_%04d.nc", 4,
             lambda out_dir, opts: write_reference(out_dir, opts.get("group", "")))


if __name__ == "__main__":
    main()
