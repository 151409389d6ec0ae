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
  group=NAME     write `tas` in the sub-group NAME (the coordinates stay in the root group)

Each granule holds `tas(time, lat, lon)` (zlib level 4 unless zlib=0, values from a fixed seed and the granule
number), `time(time)` float64 "days since 2021-01-01", `lat(lat)` and `lon(lon)` float32, global
attributes `title` and `granule`. With reference=1 the script opens every granule_*.nc of the
directory with xarray.open_mfdataset (decode_times=False, so time stays in stored units) and writes
`reference__<var>.bin` (C-order little-endian values) and `reference.json` ({var: {dtype, shape}}).
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
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "days since 2021-01-01"
        t.calendar = "standard"
        t.standard_name = "time"
        la = nc.createVariable("lat", "f4", ("lat",))
        la.units = "degrees_north"
        lo = nc.createVariable("lon", "f4", ("lon",))
        lo.units = "degrees_east"
        holder = nc.createGroup(opts["group"]) if opts.get("group") else nc
        v = holder.createVariable(
            "tas", dtype, ("time", "lat", "lon"), zlib=compress, complevel=4,
            shuffle=compress and opts.get("shuffle", "1") == "1",
            chunksizes=(1, chunk_lat, nlon))
        v.units = "K"
        v.long_name = "near-surface air temperature"
        la[:] = np.linspace(-89.0, 89.0, nlat, dtype="f4")
        lo[:] = np.linspace(0.0, 358.0, nlon, dtype="f4")
        t[:] = np.arange(number * steps, (number + 1) * steps, dtype="f8") + shift
        base = 250.0 + 40.0 * rng.random((steps, nlat, nlon))
        v[:] = base.astype(dtype)


def write_reference(out_dir):
    import xarray as xr

    files = sorted(glob.glob(os.path.join(out_dir, "granule_*.nc")))
    ds = xr.open_mfdataset(files, combine="by_coords", decode_times=False, parallel=False)
    meta = {}
    for name in ["tas", "time", "lat", "lon"]:
        values = np.ascontiguousarray(ds[name].values)
        values = values.astype(values.dtype.newbyteorder("<"))
        with open(os.path.join(out_dir, "reference__%s.bin" % name), "wb") as f:
            f.write(values.tobytes())
        meta[name] = {"dtype": values.dtype.str, "shape": list(values.shape)}
    ds.close()
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(meta, f)


def main():
    opts = parse(sys.argv[1])
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    first = int(opts.get("first", 0))
    for n in range(first, first + int(opts.get("count", 4))):
        write_granule(os.path.join(out_dir, "granule_%04d.nc" % n), n, opts)
    if opts.get("reference", "1") == "1":
        write_reference(out_dir)


if __name__ == "__main__":
    main()
