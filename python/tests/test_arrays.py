"""to_numpy / to_xarray: a slice's rows back into an array, from a stand-in for a PySpark DataFrame
(schema, select, collect: what they use) and from pandas. Expected values are computed from the
formula the rows were made with, independently of the code under test."""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest

import arraymorph


class SparkType:
    def __init__(self, name):
        self.name = name

    def typeName(self):
        return self.name


class Field:
    def __init__(self, name, type_name, metadata=None):
        self.name = name
        self.dataType = SparkType(type_name)
        self.metadata = metadata or {}


class SparkLikeFrame:
    """The parts of pyspark.sql.DataFrame to_numpy uses; rows come back in any order, as Spark's do."""

    def __init__(self, columns, rows, metadata=None):
        self.schema = type("Schema", (), {})()
        self.schema.fields = [Field(n, t, (metadata or {}).get(n)) for n, t in columns]
        self._rows = list(rows)
        self.selected = None

    def select(self, *names):
        index = [[f.name for f in self.schema.fields].index(n) for n in names]
        frame = SparkLikeFrame([(self.schema.fields[k].name, self.schema.fields[k].dataType.name) for k in index],
                               [tuple(r[k] for k in index) for r in self._rows])
        frame.schema.fields = [self.schema.fields[k] for k in index]
        return frame

    def collect(self):
        rows = list(self._rows)
        random.Random(7).shuffle(rows)
        return rows


def temperature_slice():
    """What `i BETWEEN 5 AND 14 AND j BETWEEN 5 AND 14` gives from the quick start's grid."""
    return SparkLikeFrame(
        [("i", "long"), ("j", "long"), ("temperature", "float")],
        [(i, j, float(i * 100 + j)) for i in range(5, 15) for j in range(5, 15)],
    )


def test_a_2d_slice_becomes_its_bounding_box():
    grid, coords = arraymorph.to_numpy(temperature_slice(), return_coords=True)
    assert grid.shape == (10, 10) and grid.dtype == np.float32
    expected = np.array([[i * 100 + j for j in range(5, 15)] for i in range(5, 15)], dtype=np.float32)
    np.testing.assert_array_equal(grid, expected)
    np.testing.assert_array_equal(coords["i"], np.arange(5, 15))
    np.testing.assert_array_equal(coords["j"], np.arange(5, 15))


def test_a_3d_slice_keeps_axis_order_of_the_dimension_columns():
    rows = [(t, y, x, t * 10000 + y * 100 + x) for t in range(2) for y in range(3, 6) for x in range(7, 11)]
    frame = SparkLikeFrame([("t", "long"), ("y", "long"), ("x", "long"), ("v", "double")], rows)
    a = arraymorph.to_numpy(frame)
    assert a.shape == (2, 3, 4) and a.dtype == np.float64
    assert a[1, 2, 3] == 1 * 10000 + 5 * 100 + 10
    b = arraymorph.to_numpy(frame, dims=["x", "y", "t"], value="v")
    np.testing.assert_array_equal(b, np.transpose(a, (2, 1, 0)))


def test_missing_cells_and_null_floats_are_nan():
    rows = [(0, 0, 1.5), (0, 2, None), (1, 1, 2.5)]
    a = arraymorph.to_numpy(SparkLikeFrame([("i", "long"), ("j", "long"), ("v", "double")], rows))
    assert a.shape == (2, 3)
    assert a[0, 0] == 1.5 and a[1, 1] == 2.5
    assert np.isnan(a[0, 1]) and np.isnan(a[0, 2]) and np.isnan(a[1, 0]) and np.isnan(a[1, 2])


def test_integer_values_with_gaps_or_nulls_are_masked_not_zero():
    rows = [(0, 10), (1, None), (3, -7)]
    a = arraymorph.to_numpy(SparkLikeFrame([("i", "long"), ("v", "integer")], rows))
    assert isinstance(a, np.ma.MaskedArray) and a.dtype == np.int32
    assert a.mask.tolist() == [False, True, True, False]
    assert a[0] == 10 and a[3] == -7


def test_complete_integer_slices_are_plain_arrays():
    frame = SparkLikeFrame([("i", "long"), ("v", "long")], [(i, 2**40 + i) for i in range(4)])
    a = arraymorph.to_numpy(frame)
    assert type(a) is np.ndarray and a.dtype == np.int64
    assert a.tolist() == [2**40, 2**40 + 1, 2**40 + 2, 2**40 + 3]


def test_timestamp_dimensions_run_over_their_sorted_values():
    t0 = datetime.datetime(2024, 1, 1)
    times = [t0 + datetime.timedelta(hours=6 * k) for k in (0, 1, 3)]  # a gap: 12:00 is absent
    rows = [(t, x, float(k * 10 + x)) for k, t in enumerate(times) for x in range(2)]
    frame = SparkLikeFrame([("time", "timestamp"), ("x", "long"), ("t2m", "float")], rows)
    a, coords = arraymorph.to_numpy(frame, return_coords=True)
    assert a.shape == (3, 2)
    assert list(coords["time"]) == times
    assert a[2, 1] == 21.0


def test_several_value_columns_need_a_choice():
    frame = SparkLikeFrame([("i", "long"), ("a", "float"), ("b", "float")], [(0, 1.0, 2.0), (1, 3.0, 4.0)])
    with pytest.raises(ValueError, match="column 'a' \\(float\\) cannot be a dimension"):
        arraymorph.to_numpy(frame)
    assert arraymorph.to_numpy(frame, dims=["i"], value="a").tolist() == [1.0, 3.0]
    assert arraymorph.to_numpy(frame, dims=["i"]).tolist() == [2.0, 4.0]


def test_two_rows_at_one_position_are_refused_not_overwritten():
    frame = SparkLikeFrame([("file", "string"), ("i", "long"), ("v", "float")],
                           [("a.nc", 0, 1.0), ("b.nc", 0, 2.0)])
    with pytest.raises(ValueError, match="several rows have the same i"):
        arraymorph.to_numpy(frame, dims=["i"], value="v")
    a = arraymorph.to_numpy(frame)  # with the file as a dimension: one array per file
    assert a.shape == (2, 1) and a[:, 0].tolist() == [1.0, 2.0]


def test_a_huge_bounding_box_is_refused():
    frame = SparkLikeFrame([("i", "long"), ("v", "float")], [(0, 1.0), (10**9, 2.0)])
    with pytest.raises(ValueError, match="max_elements"):
        arraymorph.to_numpy(frame)


def test_an_empty_slice_is_an_empty_array():
    a = arraymorph.to_numpy(SparkLikeFrame([("i", "long"), ("j", "long"), ("v", "float")], []))
    assert a.shape == (0, 0)


def test_pandas_frames_work_too():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"i": [1, 2, 2], "j": [0, 0, 1], "v": pd.array([5, 6, None], dtype="Int16")})
    a = arraymorph.to_numpy(df)
    assert isinstance(a, np.ma.MaskedArray)
    assert a.shape == (2, 2)
    assert a[0, 0] == 5 and a[1, 0] == 6
    assert a.mask.tolist() == [[False, True], [False, True]]


def test_to_xarray_names_dimensions_and_keeps_coordinates_and_attributes():
    xr = pytest.importorskip("xarray")
    frame = temperature_slice()
    frame.schema.fields[2].metadata = {"units": "K"}
    da = arraymorph.to_xarray(frame)
    assert isinstance(da, xr.DataArray)
    assert da.dims == ("i", "j") and da.name == "temperature"
    assert da.attrs == {"units": "K"}
    assert float(da.sel(i=7, j=12)) == 712.0
    assert da.coords["j"].values.tolist() == list(range(5, 15))


def test_to_xarray_turns_masked_integers_into_nan():
    pytest.importorskip("xarray")
    da = arraymorph.to_xarray(SparkLikeFrame([("i", "long"), ("v", "short")], [(0, 3), (2, 4)]))
    assert da.dtype == np.float64
    assert da.values[0] == 3.0 and np.isnan(da.values[1]) and da.values[2] == 4.0
