"""arraymorph.spark: the bundled jar, configure(builder) and session() against a recording stand-in
for SparkSession.builder (PySpark's Builder keeps what .config() set in ``_options``)."""

from __future__ import annotations

import os

import pytest

import arraymorph
from arraymorph import config
from arraymorph import spark as amspark

P = "spark.datasource.arraymorph."


class FakeConf:
    def __init__(self, values):
        self.values = values

    def set(self, key, value):
        self.values[key] = value

    def get(self, key, default=None):
        return self.values.get(key, default)

    def unset(self, key):
        self.values.pop(key, None)


class FakeSession:
    def __init__(self, values):
        self.conf = FakeConf(dict(values))


class FakeBuilder:
    """Like pyspark.sql.SparkSession.Builder: config() records into _options."""

    def __init__(self, **options):
        self._options = dict(options)
        self.existing = None

    def config(self, key, value):
        self._options[key] = value
        return self

    def getOrCreate(self):
        return self.existing or FakeSession(self._options)


class FakeConnectBuilder(FakeBuilder):
    pass


FakeConnectBuilder.__module__ = "pyspark.sql.connect.session"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    config._pending.clear()
    for name in ("SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "MASTER", "SPARK_LOCAL_IP", "SPARK_LOCAL_HOSTNAME"):
        monkeypatch.delenv(name, raising=False)
    jar = tmp_path / "arraymorph-spark-runtime-9.9.9.jar"
    jar.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    monkeypatch.setenv("ARRAYMORPH_JAR", str(jar))
    yield str(jar)
    config._pending.clear()


def test_configure_adds_the_jar_and_loopback_defaults_to_a_local_builder(isolated):
    b = amspark.configure(FakeBuilder())
    assert b._options == {
        "spark.jars": isolated,
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
    }
    assert os.environ["SPARK_LOCAL_IP"] == "127.0.0.1"
    assert os.environ["SPARK_LOCAL_HOSTNAME"] == "localhost"


def test_configure_keeps_what_the_user_set(isolated):
    b = amspark.configure(
        FakeBuilder(**{"spark.jars": "/opt/other.jar", "spark.driver.host": "10.0.0.5", P + "region": "eu-west-1"})
    )
    assert b._options["spark.jars"] == "/opt/other.jar," + isolated
    assert b._options["spark.driver.host"] == "10.0.0.5"
    assert b._options["spark.driver.bindAddress"] == "127.0.0.1"
    # configure twice: the jar once
    assert amspark.configure(b)._options["spark.jars"] == "/opt/other.jar," + isolated


def test_configure_sets_no_loopback_defaults_on_a_cluster(isolated):
    b = amspark.configure(FakeBuilder(**{"spark.master": "spark://10.0.0.1:7077"}))
    assert b._options == {"spark.master": "spark://10.0.0.1:7077", "spark.jars": isolated}
    assert "SPARK_LOCAL_IP" not in os.environ


@pytest.mark.parametrize("how", ["option", "env", "builder"])
def test_configure_adds_no_jar_on_spark_connect(monkeypatch, how):
    if how == "env":
        monkeypatch.setenv("SPARK_REMOTE", "sc://127.0.0.1:15002")
    builder = FakeConnectBuilder() if how == "builder" else FakeBuilder()
    if how == "option":
        builder.config("spark.remote", "sc://127.0.0.1:15002")
    before = dict(builder._options)
    assert amspark.configure(builder)._options == before


def test_configure_passes_settings_made_before_the_session(isolated):
    arraymorph.configure_s3("bucket-a", "AKIAEXAMPLE", "s3cr3t", endpoint="http://127.0.0.1:9000",
                            addressing_style=True)
    b = amspark.configure(FakeBuilder(**{P + "region": "eu-west-1"}))
    assert {k: v for k, v in b._options.items() if k.startswith(P)} == {
        P + "storage": "S3",
        P + "bucket": "bucket-a",
        P + "access_key": "AKIAEXAMPLE",
        P + "secret_key": "s3cr3t",
        P + "endpoint": "http://127.0.0.1:9000",
        P + "region": "eu-west-1",  # the builder's own setting wins
        P + "use_tls": "false",
        P + "addressing_style": "path",
        P + "signed_payloads": "false",
    }


def test_session_turns_keywords_into_settings(isolated):
    spark = amspark.session(FakeBuilder(), spark_sql_shuffle_partitions=4, spark_ui_enabled=False,
                            **{"spark.executor.memory": "1g"})
    assert spark.conf.get("spark.sql.shuffle.partitions") == "4"
    assert spark.conf.get("spark.ui.enabled") == "false"
    assert spark.conf.get("spark.executor.memory") == "1g"
    assert spark.conf.get("spark.jars") == isolated


def test_session_refuses_an_existing_session_without_the_jar(isolated):
    builder = FakeBuilder()
    builder.existing = FakeSession({"spark.jars": ""})
    with pytest.raises(RuntimeError, match="started without the ArrayMorph jar"):
        amspark.session(builder)


def test_jar_path_names_what_it_looked_for(monkeypatch, tmp_path):
    monkeypatch.setenv("ARRAYMORPH_JAR", str(tmp_path / "missing.jar"))
    with pytest.raises(FileNotFoundError, match="ARRAYMORPH_JAR"):
        amspark.jar_path()


def test_packages_are_the_runtime_jars_maven_coordinates():
    assert amspark.PACKAGES.startswith("io.arraymorph:arraymorph-spark-runtime:")
    assert amspark._maven_version("0.1.0.dev0") == "0.1.0-SNAPSHOT"
    assert amspark._maven_version("1.2.0") == "1.2.0"
