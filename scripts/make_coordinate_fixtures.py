#!/usr/bin/env python3
"""Writes CF fixtures for coordinate pushdown tests (netCDF4-python, zarr-python 2, cftime).

Usage: make_coordinate_fixtures.py OUT_DIR

Every variable is `tas(time, lat, lon)` float32 with a CF time coordinate, a descending float32 `lat`
(60.5 .. 5.5 by -5, so 45.5 is one of them) and an ascending float32 `lon` (-40.25 + 10 * i):
- `one.nc`: 60 days from 2021-02-01 ("days since 2021-01-01", standard calendar), chunks (1, 4, 5).
- `julian.nc`: the same in the julian calendar ("days since 2021-01-01" Julian = 2021-01-14 Gregorian).
- `shuffled.nc`: `one.nc`'s times in a non-monotonic order (no pushdown is possible).
- `gaps.nc`: as `one.nc` but `lat` holds a stored NaN (index 11) and `lon` has a `_FillValue` and one
  missing element (index 9): no pushdown on either; `lon` stays an index column.
- `collection/g_KK.nc`: 12 granules of 8 days each (granule KK holds days 8*KK .. 8*KK+7 after
  2021-01-01), chunks (1, 12, 10), zlib: one month spans a few granules.
- `zarr/`: a Zarr v2 group (xarray's `_ARRAY_DIMENSIONS` convention) with `one.nc`'s arrays, the time
  as int64 "hours since 2021-02-01", chunks (1, 4, 5) (its values in `zarr-values.json`).
For each, `<name>.json` holds what netCDF4-python (or zarr-python + cftime) reads: `time` as
microseconds since 1970-01-01 UTC (the instant, whatever the calendar), `lat`, `lon` and `tas`
(row-major). A `done` marker is written last. Output is deterministic (fixed seed).
"""

import datetime
import json
import os
import sys

import cftime
import netCDF4
import numpy as np
import zarr

RNG = np.random.default_rng(16)
EPOCH = datetime.datetime(1970, 1, 1)
LAT = (60.5 - 5.0 * np.arange(12)).astype("f4")
LON = (-40.25 + 10.0 * np.arange(10)).astype("f4")


def micros(dates):
    out = []
    for d in dates:
        g = d.change_calendar("proleptic_gregorian") if isinstance(d, cftime.datetime) else d
        py = datetime.datetime(g.year, g.month, g.day, g.hour, g.minute, g.second, g.microsecond)
        out.append(int((py - EPOCH) // datetime.timedelta(microseconds=1)))
    return out


def number(x):
    """A float for JSON; NaN as the string "NaN" (JSON has no NaN)."""
    return float(x) if x == x else "NaN"


def expected(path, times, lat, lon, tas):
    with open(path, "w") as f:
        json.dump({"time": micros(times), "lat": [number(x) for x in lat],
                   "lon": [number(x) for x in lon],
                   "tas": [float(x) for x in np.asarray(tas, "f4").ravel()]}, f)


def netcdf(path, days, calendar, chunks, zlib=False, gaps=False):
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("time", None)
        nc.createDimension("lat", len(LAT))
        nc.createDimension("lon", len(LON))
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "days since 2021-01-01 00:00:00"
        t.calendar = calendar
        t.standard_name = "time"
        t[:] = days
        la = nc.createVariable("lat", "f4", ("lat",))
        la.units = "degrees_north"
        la[:] = LAT
        lo = nc.createVariable("lon", "f4", ("lon",), fill_value=-999.0 if gaps else None)
        lo.units = "degrees_east"
        lo[:] = LON
        if gaps:
            la[11] = np.nan
            lo[9] = np.ma.masked
        v = nc.createVariable("tas", "f4", ("time", "lat", "lon"), chunksizes=chunks, zlib=zlib)
        v[:] = RNG.standard_normal((len(days), len(LAT), len(LON))).astype("f4") + 280
    with netCDF4.Dataset(path) as nc:
        t = nc["time"]
        times = cftime.num2date(np.asarray(t[:]), t.units, t.calendar,
                                only_use_cftime_datetimes=True)
        nc.set_auto_mask(False)  # the stored values (the fill shows as -999)
        expected(path[:-3] + ".json", times, nc["lat"][:], nc["lon"][:], nc["tas"][:])


def zarr_group(path, days):
    root = zarr.open_group(path, mode="w")
    hours = (np.asarray(days, "i8") - 31) * 24
    t = root.create_dataset("time", data=hours, chunks=(len(hours),))
    t.attrs.update({"_ARRAY_DIMENSIONS": ["time"], "units": "hours since 2021-02-01",
                    "calendar": "proleptic_gregorian"})
    la = root.create_dataset("lat", data=LAT, chunks=(len(LAT),))
    la.attrs["_ARRAY_DIMENSIONS"] = ["lat"]
    lo = root.create_dataset("lon", data=LON, chunks=(len(LON),))
    lo.attrs["_ARRAY_DIMENSIONS"] = ["lon"]
    tas = RNG.standard_normal((len(days), len(LAT), len(LON))).astype("f4") + 280
    v = root.create_dataset("tas", data=tas, chunks=(1, 4, 5))
    v.attrs["_ARRAY_DIMENSIONS"] = ["time", "lat", "lon"]
    times = cftime.num2date(hours, "hours since 2021-02-01", "proleptic_gregorian",
                            only_use_cftime_datetimes=True)
    expected(path + "-values.json", times, LAT, LON, tas)


def main(out):
    os.makedirs(os.path.join(out, "collection"), exist_ok=True)
    days = np.arange(31, 91, dtype="f8")  # 2021-02-01 .. 2021-04-01
    netcdf(os.path.join(out, "one.nc"), days, "standard", (1, 4, 5))
    netcdf(os.path.join(out, "julian.nc"), days, "julian", (1, 4, 5))
    netcdf(os.path.join(out, "shuffled.nc"), RNG.permutation(days), "standard", (1, 4, 5))
    netcdf(os.path.join(out, "gaps.nc"), days, "standard", (1, 4, 5), gaps=True)
    for k in range(12):
        netcdf(os.path.join(out, "collection", "g_%02d.nc" % k),
               np.arange(8 * k, 8 * k + 8, dtype="f8"), "standard", (1, 12, 10), zlib=True)
    zarr_group(os.path.join(out, "zarr"), days)
    with open(os.path.join(out, "done"), "w") as f:
        f.write("ok\n")


if __name__ == "__main__":
    main(sys.argv[1])
