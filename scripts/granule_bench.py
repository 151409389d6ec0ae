#!/usr/bin/env python3
"""Granule collection benchmark, Python side (issue 16): generation and the xarray baseline.

  granule_bench.py generate DIR N      N CF NetCDF4 granules g_00000.nc ... in DIR (cached: kept when
                                       DIR/done records the same N), each tas(time=8, lat=90, lon=180)
                                       float32, chunks (1, 90, 180), zlib; granule k holds the 8 steps
                                       of day k (3-hourly, "hours since 2020-01-01"); lat descending
                                       89 .. -89 by 2, lon ascending -179 .. 179 by 2.
  granule_bench.py xarray DIR OUT.json runs the workloads with xarray.open_mfdataset (serial, then
                                       dask-threaded computation, files opened serially in both; the best of each workload is reported) and
                                       writes wall times, bytes read (/proc/self/io rchar) and answers.
  granule_bench.py xarray DIR OUT.json open
                                       the same, for the open workload only.

Workloads (the Java side, io.arraymorph.bench.GranuleBench, runs the same and compares answers):
  open   open the collection and plan
  point  the time series at lat=45, lon=1 (indices 22, 90)
  box    the mean over lat indices 20..39 and lon 60..99 per time step
  month  count and sum of the full field over March 2020 (days 60..90; with fewer than 91 granules,
         the first min(31, N) days), the range written to OUT.json for the Java side
Debian /usr/bin/python3 (python3-netcdf4, python3-xarray, python3-dask).
"""

import glob
import json
import os
import sys
import time

import numpy as np

LAT = np.arange(89, -90, -2, dtype="f4")  # 90 values, descending
LON = np.arange(-179, 180, 2, dtype="f4")  # 180 values
POINT = (45.0, 1.0)
BOX = (slice(20, 40), slice(60, 100))


def month_range(n):
    """The inclusive [first, last] timestamps of the month workload for n daily granules."""
    import datetime

    first = 60 if n >= 91 else 0
    days = min(31, n - first)
    start = datetime.datetime(2020, 1, 1) + datetime.timedelta(days=first)
    end = start + datetime.timedelta(days=days) - datetime.timedelta(seconds=1)
    return start.isoformat(), end.isoformat()


def generate(out, n):
    import netCDF4

    done = os.path.join(out, "done")
    if os.path.exists(done) and open(done).read().strip() == str(n):
        return
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "g_*.nc")):
        os.remove(old)
    rng = np.random.default_rng(16)
    for k in range(n):
        with netCDF4.Dataset(os.path.join(out, "g_%05d.nc" % k), "w", format="NETCDF4") as nc:
            nc.createDimension("time", None)
            nc.createDimension("lat", len(LAT))
            nc.createDimension("lon", len(LON))
            t = nc.createVariable("time", "f8", ("time",))
            t.units = "hours since 2020-01-01 00:00:00"
            t.calendar = "standard"
            t[:] = 24.0 * k + 3.0 * np.arange(8)
            la = nc.createVariable("lat", "f4", ("lat",))
            la.units = "degrees_north"
            la[:] = LAT
            lo = nc.createVariable("lon", "f4", ("lon",))
            lo.units = "degrees_east"
            lo[:] = LON
            v = nc.createVariable("tas", "f4", ("time", "lat", "lon"), zlib=True,
                                  chunksizes=(1, len(LAT), len(LON)))
            v.units = "K"
            v[:] = (280 + rng.standard_normal((8, len(LAT), len(LON)))).astype("f4")
    with open(done, "w") as f:
        f.write(str(n))


def rchar():
    with open("/proc/self/io") as f:
        for line in f:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return 0


def workloads(files, month_slice, open_only):
    import xarray as xr

    out = {}

    def timed(name, fn):
        b0 = rchar()
        t0 = time.perf_counter()
        answer = fn()
        out[name] = {"seconds": time.perf_counter() - t0, "bytes": rchar() - b0, "answer": answer}
        return answer

    # parallel=True (files opened on dask's threads) crashes Debian's netCDF4/libhdf5 here, most
    # often on a quiet machine (segfault, or "NetCDF: Not a valid ID"): files are opened serially
    # in both modes, and the dask mode computes on dask's threads.
    ds = timed("open", lambda: xr.open_mfdataset(files, combine="nested", concat_dim="time",
                                                 parallel=False))
    out["open"]["answer"] = int(ds.sizes["time"])
    if open_only:
        ds.close()
        return out
    timed("point", lambda: [float(x) for x in
                            ds.tas.sel(lat=POINT[0], lon=POINT[1]).values.astype("f8")])
    timed("box", lambda: [float(x) for x in
                          ds.tas[:, BOX[0], BOX[1]].astype("f8").mean(dim=("lat", "lon")).values])

    def month():
        m = ds.tas.sel(time=slice(*month_slice)).values.astype("f8")
        return {"count": int(m.size), "sum": float(m.sum())}

    timed("month", month)
    ds.close()
    return out


def run_xarray(directory, out_path, open_only=False):
    import dask

    files = sorted(glob.glob(os.path.join(directory, "g_*.nc")))
    month = month_range(len(files))
    results = {}
    with dask.config.set(scheduler="synchronous"):
        results["serial"] = workloads(files, month, open_only)
    with dask.config.set(scheduler="threads"):
        results["dask"] = workloads(files, month, open_only)
    best = {}
    for name in results["serial"]:
        s, d = results["serial"][name], results["dask"][name]
        pick = s if s["seconds"] <= d["seconds"] else d
        best[name] = dict(pick, mode="serial" if pick is s else "dask")
    with open(out_path, "w") as f:
        json.dump({"files": len(files), "month": list(month), "best": best, "runs": results}, f)


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "xarray":
        run_xarray(sys.argv[2], sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == "open")
    else:
        raise SystemExit(__doc__)
