"""arraymorph.rechunk: rechunk a dataset into analysis-ready Zarr v3 as one Spark job.

    from arraymorph.rechunk import rechunk
    result = rechunk(spark, "s3://b/granules.nc", "tas", "s3://b/tas.zarr",
                     chunks=(8760, 10, 10), shards=(8760, 100, 100), codec="zstd")
    result["direct"], result["chunks_written"]

Calls the connector's ``io.arraymorph.spark.rechunk.ArrayMorphRechunk.run`` through the session's
JVM gateway (classic PySpark; Spark Connect has no JVM gateway: run the rechunk from the server's
side, e.g. its Java/Scala API). Options are the connector's (docs/configuration.md): ``chunks``
(required), ``shards``, ``codec``, ``rechunk_memory``, ``lock_timeout`` and store settings; the
session's ``spark.datasource.arraymorph.*`` settings (``configure_s3``...) apply too.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

_ENTRY = "io.arraymorph.spark.rechunk.ArrayMorphRechunk"


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(int(v)) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rechunk(spark: Any, source: str, dataset: str, target: str,
            target_dataset: Optional[str] = None, *, overwrite: bool = False,
            **options: Any) -> Dict[str, Any]:
    """Rechunks ``dataset`` of ``source`` into a Zarr v3 dataset at ``target``.

    Args:
        spark: a classic PySpark SparkSession whose classpath holds the connector.
        source: the source location (Zarr v3/v2 store, HDF5/NetCDF4 file, kerchunk references).
        dataset: the source dataset's path.
        target: the target Zarr v3 location.
        target_dataset: the target dataset's path (default: ``dataset``).
        overwrite: replace an existing target dataset (otherwise it is refused).
        **options: ``chunks`` (required; a tuple or ``"8760,10,10"``), ``shards``, ``codec``,
            ``rechunk_memory`` and store settings.

    Returns:
        a dict: ``target_dataset``, ``direct`` (no blocks moved), ``read_tasks``,
        ``chunks_written``, ``array_bytes``, ``seconds``.

    Raises:
        RuntimeError: on Spark Connect, or when the session has no connector on its classpath.
    """
    jvm = getattr(spark, "_jvm", None)
    if jvm is None or not hasattr(spark, "_jsparkSession"):
        raise RuntimeError(
            "arraymorph.rechunk needs a classic PySpark session (Spark Connect has no JVM gateway);"
            " call io.arraymorph.spark.rechunk.ArrayMorphRechunk.run from Java/Scala instead")
    opts = jvm.java.util.HashMap()
    for key, value in options.items():
        if value is not None:
            opts.put(key, _text(value))
    entry = jvm
    for part in _ENTRY.split("."):
        entry = getattr(entry, part)
    result = entry.run(spark._jsparkSession, source, dataset, target, target_dataset,
                       bool(overwrite), opts)
    return {
        "target_dataset": result.targetDataset(),
        "direct": result.direct(),
        "read_tasks": result.readTasks(),
        "chunks_written": result.chunksWritten(),
        "array_bytes": result.arrayBytes(),
        "seconds": result.seconds(),
    }
