"""A slice read with ``format("arraymorph")`` back into an N-d array: numpy, or xarray.

A read in the ``cells`` layout gives one row per element: a column per dimension (``i``, ``j``,
...) and a value column. :func:`to_numpy` puts the values back into an array over the bounding
box of the rows; :func:`to_xarray` also names the dimensions and keeps the coordinates::

    df = spark.read.format("arraymorph").option("dataset", "t").load(path).where("i < 10")
    a = arraymorph.to_numpy(df)               # numpy.ndarray, shape (10, 100)
    da = arraymorph.to_xarray(df)             # xarray.DataArray with i and j coordinates

Works on PySpark DataFrames (classic and Spark Connect; rows are collected to the driver, so
slice first) and on pandas DataFrames.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = ["to_numpy", "to_xarray"]

#: Spark SQL type names -> numpy dtypes for value columns; other types give object arrays.
_SPARK_DTYPES = {
    "byte": "int8",
    "short": "int16",
    "integer": "int32",
    "long": "int64",
    "float": "float32",
    "double": "float64",
    "boolean": "bool",
}
_INTEGRAL = ("byte", "short", "integer", "long")
#: Column types that can be a dimension: indices, NetCDF time coordinates, a many-files ``file``.
_DIMENSION_TYPES = _INTEGRAL + ("timestamp", "timestamp_ntz", "date", "string")

#: The largest bounding box :func:`to_numpy` builds unless told otherwise (elements).
MAX_ELEMENTS = 100_000_000


class _Columns:
    """Column names, type names, per-column values (lists with None for null) and metadata."""

    def __init__(self, names: List[str], types: List[str], values: Dict[str, List[Any]],
                 metadata: Dict[str, Dict[str, Any]]):
        self.names = names
        self.types = types
        self.values = values
        self.metadata = metadata


def _spark_columns(df: Any, wanted: Optional[Sequence[str]]) -> _Columns:
    fields = list(df.schema.fields)
    names = [f.name for f in fields]
    chosen = list(wanted) if wanted is not None else names
    by_name = {f.name: f for f in fields}
    for name in chosen:
        if name not in by_name:
            raise ValueError("column %r is not in the DataFrame (columns: %s)" % (name, ", ".join(names)))
    rows = df.select(*chosen).collect()
    values = {name: [row[k] for row in rows] for k, name in enumerate(chosen)}
    types = [by_name[n].dataType.typeName() for n in chosen]
    metadata = {n: dict(getattr(by_name[n], "metadata", None) or {}) for n in chosen}
    return _Columns(chosen, types, values, metadata)


def _pandas_columns(df: Any, wanted: Optional[Sequence[str]]) -> _Columns:
    names = [str(c) for c in df.columns]
    chosen = list(wanted) if wanted is not None else names
    types, values = [], {}
    for name in chosen:
        if name not in names:
            raise ValueError("column %r is not in the DataFrame (columns: %s)" % (name, ", ".join(names)))
        series = df[name]
        kind = getattr(series.dtype, "kind", "O")
        size = getattr(series.dtype, "itemsize", 8)
        if kind in "iu":
            types.append({1: "byte", 2: "short", 4: "integer"}.get(size, "long"))
        elif kind == "f":
            types.append("float" if size == 4 else "double")
        elif kind == "b":
            types.append("boolean")
        elif kind == "M":
            types.append("timestamp")
        else:
            types.append("string" if kind in "OUS" else "other")
        isna = series.isna().to_numpy()
        values[name] = [None if missing else v for v, missing in zip(series.tolist(), isna)]
    metadata = {n: dict(getattr(df, "attrs", {}).get(n, {}) or {}) for n in chosen}
    return _Columns(chosen, types, values, metadata)


def _columns(df: Any, wanted: Optional[Sequence[str]]) -> _Columns:
    if hasattr(df, "schema") and hasattr(df, "collect"):
        return _spark_columns(df, wanted)
    if hasattr(df, "columns") and hasattr(df, "__getitem__"):
        return _pandas_columns(df, wanted)
    raise TypeError("expected a PySpark or pandas DataFrame, got %s" % type(df).__name__)


def _choose(df: Any, dims: Optional[Sequence[str]], value: Optional[str]) -> Tuple[List[str], str]:
    if hasattr(df, "schema") and hasattr(df, "collect"):
        names = [f.name for f in df.schema.fields]
    else:
        names = [str(c) for c in df.columns]
    if value is None:
        if not names:
            raise ValueError("the DataFrame has no columns")
        value = names[-1] if dims is None else next((n for n in reversed(names) if n not in dims), None)
        if value is None:
            raise ValueError("every column is a dimension; name the value column with value=")
    if dims is None:
        dims = [n for n in names if n != value]
    return list(dims), value


def _grid(df: Any, dims: Optional[Sequence[str]], value: Optional[str], max_elements: int):
    import numpy as np

    dims, value = _choose(df, dims, value)
    if not dims:
        raise ValueError("no dimension columns: name them with dims=")
    cols = _columns(df, dims + [value])
    for name, kind in zip(cols.names[:-1], cols.types[:-1]):
        if kind not in _DIMENSION_TYPES:
            raise ValueError(
                "column %r (%s) cannot be a dimension; pass value= (the value column) and dims= "
                "(the index columns, e.g. dims=['i', 'j'])" % (name, kind)
            )
    coords: Dict[str, Any] = {}
    index = []
    for name, kind in zip(cols.names[:-1], cols.types[:-1]):
        column = cols.values[name]
        if any(v is None for v in column):
            raise ValueError("dimension column %r holds nulls" % name)
        if kind in _INTEGRAL:
            lo = min(column) if column else 0
            hi = max(column) if column else -1
            coords[name] = np.arange(lo, hi + 1, dtype=np.int64)
            index.append(np.asarray(column, dtype=np.int64) - lo)
        else:  # timestamps, files: the values that occur, sorted
            axis = sorted(set(column))
            where = {v: k for k, v in enumerate(axis)}
            coords[name] = np.asarray(axis, dtype=object if kind == "string" else None)
            index.append(np.asarray([where[v] for v in column], dtype=np.int64))
    shape = tuple(len(c) for c in coords.values())
    size = int(np.prod(shape, dtype=np.int64))
    if size > max_elements:
        raise ValueError(
            "the slice's bounding box %s holds %d elements, more than max_elements=%d; filter "
            "the rows first or raise max_elements" % (shape, size, max_elements)
        )
    flat = np.ravel_multi_index(tuple(index), shape) if index and len(index[0]) else np.zeros(0, np.int64)
    if len(np.unique(flat)) != len(flat):
        raise ValueError(
            "several rows have the same %s: not one array (name the dimension columns with dims=, "
            "e.g. add 'file' for a many-files read)" % ", ".join(dims)
        )
    raw = cols.values[value]
    kind = cols.types[-1]
    nulls = np.asarray([v is None for v in raw], dtype=bool)
    dtype = _SPARK_DTYPES.get(kind)
    if dtype is not None and dtype.startswith("float"):
        out = np.full(size, np.nan, dtype=dtype)
        out[flat] = np.asarray([np.nan if v is None else v for v in raw], dtype=dtype)
        return out.reshape(shape), coords, value, cols.metadata.get(value, {})
    if dtype is None:
        out = np.full(size, None, dtype=object)
        items = np.empty(len(raw), dtype=object)
        for k, v in enumerate(raw):  # one by one: list values (arrays) must stay elements
            items[k] = v
        out[flat] = items
        return out.reshape(shape), coords, value, cols.metadata.get(value, {})
    data = np.zeros(size, dtype=dtype)
    data[flat] = np.asarray([0 if v is None else v for v in raw], dtype=dtype)
    mask = np.ones(size, dtype=bool)
    mask[flat] = nulls
    if mask.any():
        result = np.ma.MaskedArray(data.reshape(shape), mask=mask.reshape(shape))
    else:
        result = data.reshape(shape)
    return result, coords, value, cols.metadata.get(value, {})


def to_numpy(df: Any, dims: Optional[Sequence[str]] = None, value: Optional[str] = None, *,
             return_coords: bool = False, max_elements: int = MAX_ELEMENTS) -> Any:
    """The rows of a slice as an N-d numpy array over their bounding box.

    Axis ``k`` runs over dimension column ``dims[k]``: integer index columns from their smallest
    to their largest value in the rows (so a slice ``i BETWEEN 5 AND 14`` gives axis 0 of length
    10, ``result[0]`` being ``i = 5``); other dimension columns (a NetCDF ``time`` timestamp, a
    many-files read's ``file``) over their sorted distinct values.

    Elements with no row, and null values, are ``NaN`` for float values; for integer and
    boolean values the result is a ``numpy.ma.MaskedArray`` masking them (a plain array when
    nothing is missing); other types give an object array holding ``None``.

    Args:
        df: a PySpark DataFrame (classic or Spark Connect; its rows are collected) or a pandas
            DataFrame.
        dims: the dimension columns in axis order; default: every column but ``value``.
        value: the value column; default: the last column not in ``dims``.
        return_coords: also return the coordinates: ``(array, {dimension: 1-D array of what
            its axis runs over})``, e.g. ``coords["i"][0]`` is the ``i`` of ``array[0]``.
        max_elements: refuse bounding boxes larger than this (a sparse selection such as
            ``i IN (0, 10**9)`` would otherwise allocate a huge array).

    Raises:
        ValueError: a dimension column is not an index (name ``dims``/``value``), holds nulls,
            two rows share one position, or the box is larger than ``max_elements``.
    """
    data, coords, _, _ = _grid(df, dims, value, max_elements)
    return (data, coords) if return_coords else data


def to_xarray(df: Any, dims: Optional[Sequence[str]] = None, value: Optional[str] = None, *,
              max_elements: int = MAX_ELEMENTS) -> Any:
    """The rows of a slice as an ``xarray.DataArray`` (needs xarray: ``pip install xarray``).

    As :func:`to_numpy`, plus: named dimensions, a coordinate per dimension (the indices or
    values each axis runs over), the value column's name, and as attributes the value column's
    metadata (``df.schema[value].metadata``, e.g. an HDF5 enum's ``hdf5_enum`` codes; for pandas,
    ``df.attrs[value]``). Integer values with gaps become float with ``NaN``, xarray's convention.

    Raises:
        ImportError: xarray is not installed.
    """
    try:
        import xarray as xr
    except ImportError as e:
        raise ImportError("to_xarray() needs xarray: pip install xarray (or arraymorph-spark[xarray])") from e
    import numpy as np

    data, coords, name, attrs = _grid(df, dims, value, max_elements)
    if isinstance(data, np.ma.MaskedArray):
        data = data.astype(np.float64).filled(np.nan)
    return xr.DataArray(data, coords=coords, dims=list(coords), name=name, attrs=attrs)
