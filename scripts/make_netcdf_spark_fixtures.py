#!/usr/bin/python3
"""Writes NetCDF4 fixtures for the Spark connector's CF-decoding and many-files tests (netCDF4-python).

Usage: /usr/bin/python3 scripts/make_netcdf_spark_fixtures.py OUTPUT_DIR

- `cf.nc`: packed, masked and time-encoded variables. For every variable the script writes the values
  CF decoding must give (computed here with numpy the way xarray's mask_and_scale/decode_times do) to
  `cf.nc__<var>.json`: {"type": spark type, "shape": [...], "values": [... C order, null = masked]};
  timestamps as microseconds since 1970-01-01T00:00:00Z.
- `cf2.nc`: calendars, `_Unsigned` and valid ranges, expected values from netCDF4-python's auto mask/scale
  and cftime.num2date in `cf2.nc__<var>.json` (same layout; model-calendar dates as strings
  `YYYY-MM-DD hh:mm:ss[.ffffff]` built from cftime's fields); `bad_calendar` has calendar "martian".
- `many/2024/MM/f_KK.nc`: 100 small files (10 month folders x 10 files), variable `v` float32 (y=10, x=20),
  chunks (5, 10); `v[y, x] = file_number * 1000 + y * 20 + x` with file_number = 0..99 in path order.
- `wild_dims.nc`: scalar variables and a variable using one dimension twice (see wild_dims_file).
- `mismatch/`: `a.nc` with `v` float32 (2-D), `b.nc` with `v` int32 (2-D), `rank/c.nc` with `v` float32 (1-D).

Output is deterministic (fixed seed).
"""

import datetime
import json
import os
import sys

import cftime
import netCDF4
import numpy as np

RNG = np.random.default_rng(20250505)
EPOCH = datetime.datetime(1970, 1, 1)


def write_expected(out, var, spark_type, arr, mask, file="cf.nc"):
    values = []
    for v, m in zip(np.asarray(arr).ravel().tolist(), np.asarray(mask).ravel().tolist()):
        values.append(None if m else v)
    with open(os.path.join(out, "%s__%s.json" % (file, var)), "w") as f:
        json.dump({"type": spark_type, "shape": list(np.shape(arr)), "values": values}, f)


def micros(dates):
    return [int((d - EPOCH) // datetime.timedelta(microseconds=1)) for d in dates]


def cf_file(out):
    path = os.path.join(out, "cf.nc")
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("time", None)
        nc.createDimension("lat", 10)
        nc.createDimension("lon", 20)
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "hours since 2024-01-01 00:00:00"
        t.calendar = "standard"
        t.standard_name = "time"
        t[:] = np.arange(6, dtype="f8") * 6.0 + 0.5  # half hours: 00:30, 06:30, ...
        la = nc.createVariable("lat", "f4", ("lat",))
        la.units = "degrees_north"
        la[:] = np.linspace(-45, 45, 10, dtype="f4")
        lo = nc.createVariable("lon", "f4", ("lon",))
        lo[:] = np.linspace(0, 342, 20, dtype="f4")

        # Packed int16 with float32 scale and offset: decodes to float32 (as xarray).
        t2m = nc.createVariable("t2m", "i2", ("time", "lat", "lon"), zlib=True, chunksizes=(1, 5, 10),
                                fill_value=np.int16(-32767))
        t2m.scale_factor = np.float32(0.01)
        t2m.add_offset = np.float32(273.15)
        t2m.units = "K"
        raw = RNG.integers(-3000, 3000, size=(6, 10, 20), dtype="i2")
        raw[0, 0, :5] = -32767
        raw[3, 7, 11] = -32767
        t2m.set_auto_maskandscale(False)  # write the raw (packed) values given here
        t2m[:] = raw

        # Packed int32 with a float64 scale only and a missing_value: decodes to float64.
        precip = nc.createVariable("precip", "i4", ("time", "lat", "lon"), chunksizes=(2, 10, 10))
        precip.scale_factor = 0.001
        precip.missing_value = np.int32(-1)
        raw = RNG.integers(0, 100000, size=(6, 10, 20), dtype="i4")
        raw[1, :, 3] = -1
        precip.set_auto_maskandscale(False)
        precip[:] = raw

        # Float32 with _FillValue: masked cells (and never-written chunks) become null; type unchanged.
        sst = nc.createVariable("sst", "f4", ("time", "lat", "lon"), chunksizes=(1, 10, 10),
                                fill_value=np.float32(-999.0))
        sst[0:4] = RNG.standard_normal((4, 10, 20)).astype("f4")  # time steps 4 and 5 never written
        sst.set_auto_maskandscale(False)
        sst[5] = RNG.standard_normal((10, 20)).astype("f4")  # time step 4 never written
        sst[2, 4:6, :] = np.float32(-999.0)

        # Int32 with _FillValue and no packing: stays int, masked cells null.
        count = nc.createVariable("count", "i4", ("lat", "lon"), fill_value=np.int32(-9))
        raw = RNG.integers(0, 50, size=(10, 20), dtype="i4")
        raw[::3, ::4] = -9
        count[:] = raw

        # No CF attributes at all: read as stored.
        plain = nc.createVariable("plain", "f8", ("lat", "lon"), fill_value=False)
        raw = RNG.standard_normal((10, 20))
        plain[:] = raw

        # Time values and the coordinate decoded as timestamps.
        times = netCDF4.num2date(np.asarray(t[:]), t.units, t.calendar,
                                 only_use_cftime_datetimes=False, only_use_python_datetimes=True)
        write_expected(out, "time", "timestamp", micros(times), np.zeros(6, bool))
        write_expected(out, "time_raw", "double", np.asarray(t[:]), np.zeros(6, bool))
        # A time variable in days since a date with a time zone offset, int-valued.
        nc.createDimension("event", 4)
        ev = nc.createVariable("event_time", "i4", ("event",))
        ev.units = "days since 1999-12-31T12:00:00Z"
        ev[:] = np.array([0, 1, 366, 9000], dtype="i4")
        times = netCDF4.num2date(np.asarray(ev[:]), "days since 1999-12-31 12:00:00", "standard",
                                 only_use_cftime_datetimes=False, only_use_python_datetimes=True)
        write_expected(out, "event_time", "timestamp", micros(times), np.zeros(4, bool))


def cf_expected(out):
    """The decoded values, computed from the raw values in the file as xarray's decoding does."""
    with netCDF4.Dataset(os.path.join(out, "cf.nc")) as nc:
        nc.set_auto_maskandscale(False)
        raw = np.asarray(nc["t2m"][:])
        dec = raw.astype("f4") * np.float32(0.01) + np.float32(273.15)
        write_expected(out, "t2m", "float", dec, raw == -32767)
        raw = np.asarray(nc["precip"][:])
        write_expected(out, "precip", "double", raw.astype("f8") * 0.001, raw == -1)
        raw = np.asarray(nc["sst"][:])  # unwritten chunks read as the fill value
        write_expected(out, "sst", "float", raw, raw == np.float32(-999.0))
        raw = np.asarray(nc["count"][:])
        write_expected(out, "count", "int", raw, raw == -9)
        raw = np.asarray(nc["plain"][:])
        write_expected(out, "plain", "double", raw, np.zeros(raw.shape, bool))


CALENDARS = ["standard", "gregorian", "proleptic_gregorian", "julian", "noleap", "365_day", "all_leap",
             "366_day", "360_day"]
SPARK_TYPES = {"float32": "float", "float64": "double", "int8": "tinyint", "int16": "smallint",
               "int32": "int", "uint8": "smallint", "uint16": "int", "uint32": "bigint"}


def cftime_text(d):
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (d.year, d.month, d.day, d.hour, d.minute, d.second)
    return text + (".%06d" % d.microsecond if d.microsecond else "")


def cftime_micros(d):
    """The instant of a real-world calendar's date, in microseconds since 1970-01-01 UTC."""
    g = d.change_calendar("proleptic_gregorian")
    py = datetime.datetime(g.year, g.month, g.day, g.hour, g.minute, g.second, g.microsecond)
    return int((py - EPOCH) // datetime.timedelta(microseconds=1))


def cf2_file(out):
    """Calendars, _Unsigned and valid ranges; expected values from netCDF4-python and cftime."""
    path = os.path.join(out, "cf2.nc")
    days = np.array([0, 1, 2, 3.5, 30, 365, 366, 10000.25], dtype="f8")
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("n", 8)
        nc.createDimension("m", 6)
        for cal in CALENDARS:
            v = nc.createVariable("time_" + cal, "f8", ("n",))
            v.units = "days since 2000-02-27 12:00:00"
            v.calendar = cal
            v[:] = days
        # The mixed calendar across its Julian/Gregorian switch (1582-10-04 is followed by 10-15).
        v = nc.createVariable("time_switch", "i4", ("n",))
        v.units = "days since 1582-10-01"
        v.calendar = "standard"
        v[:] = np.array([0, 3, 4, 5, 10, -400, 36500, -150000], dtype="i4")
        v = nc.createVariable("time_julian_hours", "i8", ("n",))
        v.units = "hours since 1900-01-01 06:00"
        v.calendar = "julian"
        v[:] = np.array([0, 1, 24, 1416, 8784, -24, 1000000, 12], dtype="i8")
        v = nc.createVariable("bad_calendar", "f8", ("n",))
        v.units = "days since 2000-01-01"
        v.calendar = "martian"
        v[:] = days
        # NetCDF-3 style unsigned bytes, packed, with a fill value and a valid range given signed.
        v = nc.createVariable("ubyte_packed", "i1", ("m",), fill_value=np.int8(-1))
        v._Unsigned = "true"
        v.scale_factor = np.float32(0.5)
        v.add_offset = np.float32(-10.0)
        v.valid_range = np.array([1, -6], dtype="i1")  # unsigned 1..250
        v.set_auto_maskandscale(False)
        v[:] = np.array([0, 1, 100, -6, -5, -1], dtype="i1")  # unsigned 0, 1, 100, 250, 251, 255
        v = nc.createVariable("ushort", "i2", ("m",), fill_value=np.int16(-1))
        v._Unsigned = "true"
        v.set_auto_maskandscale(False)
        v[:] = np.array([0, 1, 32767, -32768, -2, -1], dtype="i2")
        # valid_min / valid_max on packed int16, before unpacking.
        v = nc.createVariable("valid_minmax", "i2", ("m",), fill_value=np.int16(-999))
        v.valid_min = np.int16(-100)
        v.valid_max = np.int16(100)
        v.scale_factor = 0.25
        v.set_auto_maskandscale(False)
        v[:] = np.array([-101, -100, 0, -999, 100, 101], dtype="i2")
        # valid_range wins over valid_min (netCDF4-python's rule).
        v = nc.createVariable("valid_range_wins", "f4", ("m",), fill_value=np.float32(-9999))
        v.valid_range = np.array([-5, 5], dtype="f4")
        v.valid_min = np.float32(0)
        v.set_auto_maskandscale(False)
        v[:] = np.array([-6, -1, 0, 3, 5, 6], dtype="f4")
        # _Unsigned = "false" on an unsigned type: signed (xarray's rule; netCDF4-python ignores it).
        v = nc.createVariable("signed_from_unsigned", "u1", ("m",), fill_value=np.uint8(200))
        v._Unsigned = "false"
        v.set_auto_maskandscale(False)
        v[:] = np.array([0, 127, 128, 200, 254, 255], dtype="u1")

    with netCDF4.Dataset(path) as nc:
        for cal in CALENDARS + ["switch", "julian_hours"]:
            v = nc["time_" + cal]
            nc.set_auto_maskandscale(False)
            raw = np.asarray(v[:])
            nc.set_auto_maskandscale(True)
            dates = cftime.num2date(raw, v.units, v.calendar, only_use_cftime_datetimes=True)
            real = v.calendar in ("standard", "gregorian", "proleptic_gregorian", "julian")
            vals = [cftime_micros(d) for d in dates] if real else [cftime_text(d) for d in dates]
            write_expected(out, "time_" + cal, "timestamp" if real else "string", vals,
                           np.zeros(len(vals), bool), "cf2.nc")
        for var in ["ubyte_packed", "ushort", "valid_minmax", "valid_range_wins"]:
            got = nc[var][:]  # netCDF4-python's auto mask and scale
            arr = np.ma.getdata(got)
            write_expected(out, var, SPARK_TYPES[str(arr.dtype)], arr, np.ma.getmaskarray(got), "cf2.nc")
        nc.set_auto_maskandscale(False)
        raw = np.asarray(nc["signed_from_unsigned"][:]).view("i1")
        write_expected(out, "signed_from_unsigned", "tinyint", raw, raw == np.int8(-56), "cf2.nc")


def many_files(out):
    base = os.path.join(out, "many", "2024")
    n = 0
    for month in range(1, 11):
        d = os.path.join(base, "%02d" % month)
        os.makedirs(d, exist_ok=True)
        for k in range(10):
            with netCDF4.Dataset(os.path.join(d, "f_%02d.nc" % k), "w", format="NETCDF4") as nc:
                nc.createDimension("y", 10)
                nc.createDimension("x", 20)
                v = nc.createVariable("v", "f4", ("y", "x"), chunksizes=(5, 10), zlib=True)
                v.units = "1"
                yy, xx = np.meshgrid(np.arange(10), np.arange(20), indexing="ij")
                v[:] = (n * 1000 + yy * 20 + xx).astype("f4")
            n += 1


def mismatch_files(out):
    d = os.path.join(out, "mismatch")
    os.makedirs(os.path.join(d, "rank"), exist_ok=True)
    for name, dtype in [("a.nc", "f4"), ("b.nc", "i4")]:
        with netCDF4.Dataset(os.path.join(d, name), "w", format="NETCDF4") as nc:
            nc.createDimension("y", 4)
            nc.createDimension("x", 5)
            nc.createVariable("v", dtype, ("y", "x"))[:] = np.arange(20).reshape(4, 5)
    with netCDF4.Dataset(os.path.join(d, "rank", "c.nc"), "w", format="NETCDF4") as nc:
        nc.createDimension("y", 4)
        nc.createVariable("v", "f4", ("y",))[:] = np.arange(4)


def wild_dims_file(out):
    """Scalars and a repeated dimension, as real netCDF files have them: `crs` (int32 scalar, a CF
    grid mapping), `scale` (float64 scalar), `b` int16 (D2=2, D3=3, D2=2) = arange(12); values in
    `wild_dims.nc__<var>.json` (C order)."""
    path = os.path.join(out, "wild_dims.nc")
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("D2", 2)
        nc.createDimension("D3", 3)
        crs = nc.createVariable("crs", "i4", ())
        crs.grid_mapping_name = "latitude_longitude"
        crs.assignValue(-7)
        nc.createVariable("scale", "f8", ()).assignValue(0.125)
        nc.createVariable("b", "i2", ("D2", "D3", "D2"))[:] = np.arange(12).reshape(2, 3, 2)
    with netCDF4.Dataset(path) as nc:
        for var, spark_type in [("crs", "int"), ("scale", "double"), ("b", "short")]:
            arr = np.asarray(nc[var][...])
            write_expected(out, var, spark_type, arr, np.zeros(arr.shape, bool), file="wild_dims.nc")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_netcdf_spark_fixtures.py OUTPUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    cf_file(out)
    cf_expected(out)
    cf2_file(out)
    many_files(out)
    mismatch_files(out)
    wild_dims_file(out)
    with open(os.path.join(out, "done"), "w") as f:
        f.write("netCDF4 %s\n" % netCDF4.__version__)
    print("wrote NetCDF4 Spark fixtures into %s" % out)


if __name__ == "__main__":
    main()
