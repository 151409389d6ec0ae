"""Tests of quickstart.py and the notebook generated from it, without PySpark (not installable
here): the notebook's cells are the script's sections, the script's non-Spark parts (credentials,
the slice as a grid, the plot) run for real with the arraymorph package from python/, and its Spark
calls run against a recording fake. The same Spark operations run on real Spark through the JVM in
integration-tests' SparkConnectIT, which reads GRID_SQL, DATASET, WRITE_OPTIONS and SLICE_FILTER
from quickstart.py; python/tests/test_wheel.py runs the notebook on real PySpark where PySpark is
importable."""

from __future__ import annotations

import json
import os
import re
import runpy
import sys
import types

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The arraymorph package from the source tree (an installed wheel is tested in python/tests).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python"))

import make_notebook  # noqa: E402
import quickstart  # noqa: E402

P = "spark.datasource.arraymorph."


# --- a recording stand-in for the parts of PySpark the script uses ---------------------------
class Recorder:
    def __init__(self, calls, name):
        self._calls = calls
        self._name = name

    def __getattr__(self, method):
        def call(*args, **kwargs):
            self._calls.append((self._name + "." + method, args, kwargs))
            return self

        return call


class FakeType:
    def __init__(self, name):
        self.name = name

    def typeName(self):
        return self.name


class FakeField:
    def __init__(self, name, type_name):
        self.name = name
        self.dataType = FakeType(type_name)
        self.metadata = {}


class FakeDataFrame:
    """The slice a real read gives: i, j (long) and temperature (float)."""

    def __init__(self, calls, rows=()):
        self.calls = calls
        self.rows = list(rows)
        self.write = Recorder(calls, "write")
        self.schema = types.SimpleNamespace(
            fields=[FakeField("i", "long"), FakeField("j", "long"), FakeField("temperature", "float")]
        )

    def where(self, condition):
        self.calls.append(("df.where", (condition,), {}))
        return self

    def orderBy(self, *cols):
        return self

    def select(self, *cols):
        self.calls.append(("df.select", cols, {}))
        return self

    def show(self, *args, **kwargs):
        self.calls.append(("df.show", args, kwargs))

    def collect(self):
        return self.rows


class FakeReader(Recorder):
    def __init__(self, spark):
        super().__init__(spark.calls, "read")
        self._spark = spark

    def load(self, path):
        self._spark.calls.append(("read.load", (path,), {}))
        return FakeDataFrame(self._spark.calls, self._spark.slice_rows)


class FakeConf:
    def __init__(self):
        self.values = {}

    def set(self, key, value):
        self.values[key] = value

    def get(self, key, default=None):
        return self.values.get(key, default)

    def unset(self, key):
        self.values.pop(key, None)


class FakeSpark:
    def __init__(self, slice_rows=()):
        self.calls = []
        self.conf = FakeConf()
        self.slice_rows = list(slice_rows)

    @property
    def read(self):
        return FakeReader(self)

    def sql(self, text):
        self.calls.append(("sql", (text,), {}))
        return FakeDataFrame(self.calls)


def expected_slice_rows():
    """What the real slice holds: temperature = i * 100 + j for i, j in [5, 14]."""
    return [(i, j, float(i * 100 + j)) for i in range(5, 15) for j in range(5, 15)]


# --- the notebook is the script ------------------------------------------------------------------
def test_notebook_is_generated_from_the_current_script():
    with open(make_notebook.SCRIPT, encoding="utf-8") as f:
        wanted = make_notebook.render(f.read())
    with open(make_notebook.NOTEBOOK, encoding="utf-8") as f:
        assert f.read() == wanted, "run: /usr/bin/python3 examples/python/make_notebook.py"


def test_notebook_code_cells_are_the_scripts_code_sections_in_order():
    with open(make_notebook.NOTEBOOK, encoding="utf-8") as f:
        nb = json.load(f)
    with open(make_notebook.SCRIPT, encoding="utf-8") as f:
        script = f.read()
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 6
    position = 0
    for cell in code:
        found = script.find(cell, position)
        assert found >= 0, "cell not in quickstart.py (in order):\n" + cell
        position = found + len(cell)
    # Every line of the script is in a cell: code in code cells, comments in Markdown cells.
    cell_text = "\n".join(code)
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for line in script.splitlines():
        if not line.strip() or line.startswith("# %%"):
            continue
        if line.startswith("#"):
            assert line.lstrip("#").strip() in markdown, line
        else:
            assert line in cell_text, line


def test_notebook_is_valid_nbformat_4():
    with open(make_notebook.NOTEBOOK, encoding="utf-8") as f:
        nb = json.load(f)
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5
    # nbformat 4.5 cells carry ids (else nbformat warns MissingIDFieldWarning and rewrites them)
    ids = [cell.get("id") for cell in nb["cells"]]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", i or "") for i in ids), ids
    for cell in nb["cells"]:
        assert cell["cell_type"] in ("markdown", "code")
        assert isinstance(cell["source"], list)
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


# --- the Spark calls, against the fake -----------------------------------------------------------
def test_write_grid_writes_the_sql_grid_as_a_chunked_dataset():
    spark = FakeSpark()
    quickstart.write_grid(spark)
    assert spark.calls == [
        ("sql", (quickstart.GRID_SQL,), {}),
        ("write.format", ("arraymorph",), {}),
        ("write.mode", ("overwrite",), {}),
        ("write.option", ("dataset", "temperature"), {}),
        ("write.options", (), {"dims": "i,j", "chunks": "10,10", "codec": "zstd"}),
        ("write.save", (quickstart.LOCATION,), {}),
    ]


def test_read_slice_filters_on_dimension_columns():
    spark = FakeSpark()
    quickstart.read_slice(spark)
    assert spark.calls == [
        ("read.format", ("arraymorph",), {}),
        ("read.option", ("dataset", "temperature"), {}),
        ("read.load", (quickstart.LOCATION,), {}),
        ("df.where", ("i BETWEEN 5 AND 14 AND j BETWEEN 5 AND 14",), {}),
    ]


# --- the non-Spark parts, for real --------------------------------------------------------------
def test_configure_store_sets_s3_credentials_from_the_environment_through_configure_s3():
    spark = FakeSpark()
    env = {
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000",
        "AWS_REGION": "us-east-1",
    }
    quickstart.configure_store(spark, "s3://my-bucket/demo.zarr", env)
    assert spark.conf.values == {
        P + "storage": "S3",
        P + "bucket": "my-bucket",
        P + "access_key": "AKIAEXAMPLE",
        P + "secret_key": "secret",
        P + "endpoint": "http://127.0.0.1:9000",
        P + "region": "us-east-1",
        P + "use_tls": "false",
        P + "addressing_style": "path",
        P + "signed_payloads": "false",
    }


def test_configure_store_uses_the_default_credential_chain_on_aws():
    spark = FakeSpark()
    quickstart.configure_store(spark, "s3://b/x.zarr", {})
    v = spark.conf.values
    assert P + "access_key" not in v and P + "endpoint" not in v
    assert v[P + "use_tls"] == "true" and v[P + "addressing_style"] == "virtual"


def test_configure_store_leaves_local_locations_alone():
    spark = FakeSpark()
    quickstart.configure_store(spark, "/tmp/x.zarr", {"AWS_ACCESS_KEY_ID": "k"})
    assert spark.conf.values == {}


def test_plot_slice_writes_an_image(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np

    grid = np.arange(100, dtype=np.float32).reshape(10, 10)
    out = tmp_path / "slice.png"
    fig = quickstart.plot_slice(grid, (5, 5), str(out))
    assert out.stat().st_size > 1000
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The whole title is inside the saved image (it was cut off at the top).
    fig.canvas.draw()
    title = fig.axes[0].title.get_window_extent()
    width, height = fig.canvas.get_width_height()
    assert title.y1 <= height and title.x0 >= 0 and title.x1 <= width, (title, width, height)


def test_the_whole_script_runs_against_a_fake_pyspark(tmp_path, monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    spark = FakeSpark(expected_slice_rows())
    jar = tmp_path / "arraymorph-spark-runtime-0.0.0.jar"
    jar.write_bytes(b"PK")
    monkeypatch.setenv("ARRAYMORPH_JAR", str(jar))

    class Builder:
        _options = {}

        def appName(self, name):
            return self

        def config(self, key, value):
            spark.conf.set(key, value)
            return self

        def getOrCreate(self):
            return spark

    sql = types.ModuleType("pyspark.sql")
    sql.SparkSession = types.SimpleNamespace(builder=Builder())
    pyspark = types.ModuleType("pyspark")
    pyspark.sql = sql
    monkeypatch.setitem(sys.modules, "pyspark", pyspark)
    monkeypatch.setitem(sys.modules, "pyspark.sql", sql)
    plot = tmp_path / "plot.png"
    monkeypatch.setenv("ARRAYMORPH_PLOT", str(plot))
    monkeypatch.setenv("ARRAYMORPH_LOCATION", str(tmp_path / "q.zarr"))

    script = runpy.run_path(os.path.join(HERE, "quickstart.py"), run_name="__main__")

    names = [c[0] for c in spark.calls]
    assert names.count("write.save") == 1
    assert ("read.load", (str(tmp_path / "q.zarr"),), {}) in spark.calls
    assert ("read.option", ("list", "datasets"), {}) in spark.calls
    assert spark.conf.values["spark.jars"] == str(jar)  # the session got the connector jar
    # The plot got the slice as a 10x10 grid from i = 5, j = 5: temperature = i * 100 + j.
    grid, coords = script["grid"], script["coords"]
    assert grid.shape == (10, 10) and list(coords["i"]) == list(range(5, 15))
    assert grid[0, 0] == 505.0 and grid[9, 9] == 1414.0 and grid[2, 3] == 708.0
    assert plot.stat().st_size > 1000
