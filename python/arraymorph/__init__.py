"""ArrayMorph for Spark, from Python.

    import arraymorph
    from arraymorph.spark import session

    spark = session()                                   # SparkSession with format("arraymorph")
    arraymorph.configure_s3(bucket="b", access_key=k, secret_key=s,
                            endpoint="http://127.0.0.1:9000", addressing_style=True)
    df = spark.read.format("arraymorph").option("dataset", "t").load("s3://b/demo.zarr")
    grid = arraymorph.to_numpy(df.where("i < 10"))      # an N-d numpy array (to_xarray: DataArray)

- :mod:`arraymorph.spark`: the bundled connector jar (``jar_path``), ``configure(builder)`` and
  ``session(...)``, the ``--packages`` coordinates for clusters (``PACKAGES``).
- ``configure_s3``, ``configure_azure``, ``current_settings``: ArrayMorph's configuration API,
  setting ``spark.datasource.arraymorph.*`` in the session (also over Spark Connect).
- ``to_numpy``, ``to_xarray``: a slice's rows back into an array.
- :mod:`arraymorph.rechunk`: ``rechunk(spark, source, dataset, target, chunks=...)``, a Spark job
  rewriting a dataset as Zarr v3 with other chunks (classic PySpark).

Documentation: the project's README, docs/configuration.md and docs/spark.md.
"""

from __future__ import annotations

from . import spark
from .arrays import to_numpy, to_xarray
from .config import PREFIX, SECRET_OPTIONS, configure_azure, configure_s3, current_settings

__version__ = spark._version()

__all__ = [
    "PREFIX",
    "SECRET_OPTIONS",
    "configure_s3",
    "configure_azure",
    "current_settings",
    "spark",
    "to_numpy",
    "to_xarray",
    "__version__",
]
