"""arraymorph.rechunk against a stand-in JVM gateway recording the call (PySpark cannot be
installed here; the Java entry point itself is tested by the connector's SparkRechunk*Test)."""

from __future__ import annotations

import pytest

from arraymorph.rechunk import rechunk


class FakeMap(dict):
    def put(self, key, value):
        self[key] = value


class FakeResult:
    def targetDataset(self):
        return "tiles/tas"

    def direct(self):
        return False

    def readTasks(self):
        return 3

    def chunksWritten(self):
        return 12

    def arrayBytes(self):
        return 4096

    def seconds(self):
        return 1.5


class FakeEntry:
    def __init__(self):
        self.calls = []

    def run(self, *args):
        self.calls.append(args)
        return FakeResult()


class Node:
    """Resolves attribute chains like spark._jvm.io.arraymorph.spark.rechunk.ArrayMorphRechunk."""

    def __init__(self, entry, path=""):
        self._entry = entry
        self._path = path

    def __getattr__(self, name):
        path = f"{self._path}.{name}" if self._path else name
        if path == "io.arraymorph.spark.rechunk.ArrayMorphRechunk":
            return self._entry
        if path == "java.util.HashMap":
            return FakeMap
        return Node(self._entry, path)


class FakeSession:
    def __init__(self):
        self.entry = FakeEntry()
        self._jvm = Node(self.entry)
        self._jsparkSession = object()


def test_rechunk_passes_options_as_text_and_returns_the_result():
    spark = FakeSession()
    out = rechunk(spark, "s3://b/in.nc", "tas", "s3://b/out.zarr", "tiles/tas",
                  chunks=(24, 6, 6), shards=[24, 12, 12], codec="zstd", rechunk_memory=1 << 20)
    (jsession, source, dataset, target, target_dataset, overwrite, opts), = spark.entry.calls
    assert jsession is spark._jsparkSession
    assert (source, dataset, target, target_dataset, overwrite) == (
        "s3://b/in.nc", "tas", "s3://b/out.zarr", "tiles/tas", False)
    assert opts == {"chunks": "24,6,6", "shards": "24,12,12", "codec": "zstd",
                    "rechunk_memory": "1048576"}
    assert out == {"target_dataset": "tiles/tas", "direct": False, "read_tasks": 3,
                   "chunks_written": 12, "array_bytes": 4096, "seconds": 1.5}


def test_overwrite_is_passed_through():
    spark = FakeSession()
    rechunk(spark, "a", "d", "b", overwrite=True, chunks="5,5")
    assert spark.entry.calls[0][5] is True
    assert spark.entry.calls[0][4] is None


def test_spark_connect_is_refused_with_the_alternative():
    class ConnectSession:
        pass

    with pytest.raises(RuntimeError, match="Spark Connect"):
        rechunk(ConnectSession(), "a", "d", "b", chunks="5,5")
