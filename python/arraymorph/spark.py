"""A SparkSession with the ArrayMorph connector on it, from a pip-installed package.

The wheel bundles the connector's runtime jar (``arraymorph-spark-runtime``), so a notebook needs
no ``--jars`` command line::

    from arraymorph.spark import session
    spark = session()                       # local Spark with format("arraymorph")

    # or an existing builder, as with delta-spark's configure_spark_with_delta_pip:
    spark = arraymorph.spark.configure(SparkSession.builder.appName("x")).getOrCreate()

On a cluster, where every node must see the jar, give Spark its Maven coordinates instead
(:data:`PACKAGES`, once published): ``spark-submit --packages io.arraymorph:arraymorph-spark-runtime:<version>``,
or ``--jars`` with :func:`jar_path`. On Spark Connect the jar belongs on the server
(``start-connect-server.sh --jars ...``); :func:`configure` then adds nothing but the settings.
"""

from __future__ import annotations

import glob
import os
from typing import Any, Optional

from . import config

__all__ = ["PACKAGES", "jar_path", "configure", "session"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("arraymorph-spark")
    except Exception:  # not installed: running from the source tree
        return "0.1.0-SNAPSHOT"


def _maven_version(python_version: str) -> str:
    # The wheel's PEP 440 version of a Maven snapshot is X.Y.Z.dev0.
    return python_version[: -len(".dev0")] + "-SNAPSHOT" if python_version.endswith(".dev0") else python_version


#: Maven coordinates of the runtime jar for ``spark-submit --packages`` / ``spark.jars.packages``.
PACKAGES = "io.arraymorph:arraymorph-spark-runtime:" + _maven_version(_version())

#: Loopback-safe defaults for a local session, set only where the user has set nothing.
LOCAL_DEFAULTS = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


def jar_path() -> str:
    """The runtime jar: ``$ARRAYMORPH_JAR``, else the one bundled in this package, else (in a
    source checkout) ``spark-runtime/target``'s.

    Raises:
        FileNotFoundError: no jar found; names the places looked at and how to build one.
    """
    explicit = os.environ.get("ARRAYMORPH_JAR")
    if explicit:
        if not os.path.isfile(explicit):
            raise FileNotFoundError("ARRAYMORPH_JAR names no file: " + explicit)
        return explicit
    places = [
        os.path.join(_HERE, "jars"),
        os.path.join(os.path.dirname(os.path.dirname(_HERE)), "spark-runtime", "target"),
    ]
    for place in places:
        jars = sorted(glob.glob(os.path.join(place, "arraymorph-spark-runtime-*.jar")))
        jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar"))]
        if jars:
            return jars[-1]
    raise FileNotFoundError(
        "no arraymorph-spark-runtime jar in %s; install the wheel (pip install "
        "python/dist/arraymorph_spark-*.whl), build the jar (mvn -B -DskipTests -pl spark-runtime -am "
        "package) or set ARRAYMORPH_JAR" % " or ".join(places)
    )


def _is_remote(builder: Any) -> bool:
    options = getattr(builder, "_options", {}) or {}
    return (
        "spark.remote" in options
        or "SPARK_REMOTE" in os.environ
        or "SPARK_CONNECT_MODE_ENABLED" in os.environ
        or ".connect." in type(builder).__module__ + "."
    )


def configure(builder: Any) -> Any:
    """Adds the ArrayMorph connector and settings to a ``SparkSession.builder``; returns it.

    - Classic (local or cluster) sessions: appends the bundled jar to ``spark.jars`` (keeping
      jars the user listed) and, for a local master, binds the driver to 127.0.0.1 unless
      ``spark.driver.host``/``spark.driver.bindAddress`` are set (``SPARK_LOCAL_IP`` and
      ``SPARK_LOCAL_HOSTNAME`` default to the loopback as well, for the Spark UI).
    - Spark Connect (``.remote(...)``, ``SPARK_REMOTE``): the jar must be on the server; nothing
      is added but the settings.
    - Settings of an earlier :func:`arraymorph.configure_s3` / ``configure_azure`` call are
      added as ``spark.datasource.arraymorph.*`` unless the builder sets them.

    Only takes effect when the builder makes a new session: ``getOrCreate()`` returns an
    existing session unchanged (stop it first).
    """
    options = getattr(builder, "_options", {}) or {}
    if not _is_remote(builder):
        jars = [j for j in str(options.get("spark.jars", "")).split(",") if j.strip()]
        jar = jar_path()
        if jar not in jars:
            builder = builder.config("spark.jars", ",".join(jars + [jar]))
        master = str(options.get("spark.master", os.environ.get("MASTER", "local")))
        if master.startswith("local"):
            for key, value in LOCAL_DEFAULTS.items():
                if key not in options:
                    builder = builder.config(key, value)
            # The launched JVM inherits these: Spark binds its UI to SPARK_LOCAL_IP or else all
            # interfaces.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("SPARK_LOCAL_HOSTNAME", "localhost")
    for key, value in config.pending_settings().items():
        if value is not None and key not in options:
            builder = builder.config(key, value)
    return builder


def session(builder: Optional[Any] = None, **conf: Any) -> Any:
    """A SparkSession that can ``format("arraymorph")``: ``configure(builder).getOrCreate()``.

    Args:
        builder: a ``SparkSession.builder`` to start from; default ``SparkSession.builder``
            with app name ``arraymorph`` (a Spark Connect one when ``SPARK_REMOTE`` is set).
        **conf: Spark settings, ``spark_sql_shuffle_partitions=4`` or, for keys that are not
            identifiers, ``**{"spark.sql.shuffle.partitions": "4"}``; underscores in keyword
            names become dots.

    Raises:
        RuntimeError: an existing session was returned that cannot load the connector (it was
            started without the jar); the message says how to fix it.
    """
    if builder is None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName("arraymorph")
    for key, value in conf.items():
        key = key if "." in key else key.replace("_", ".")
        if isinstance(value, bool):
            value = "true" if value else "false"
        builder = builder.config(key, str(value))
    spark = configure(builder).getOrCreate()
    if not _is_remote(builder):
        jars = str(spark.conf.get("spark.jars", "") or "")
        if os.path.basename(jar_path()) not in jars and "arraymorph-spark-runtime" not in jars:
            raise RuntimeError(
                "the active SparkSession was started without the ArrayMorph jar; call "
                "spark.stop() and arraymorph.spark.session() again, or start Spark with "
                "--jars " + jar_path()
            )
    return spark
