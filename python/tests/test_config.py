"""ArrayMorph's configuration API (configure_s3, configure_azure, current_settings) against a
recording stand-in for spark.conf: exactly ArrayMorph's settings, under the connector's names."""

from __future__ import annotations

import sys
import types

import pytest

import arraymorph
from arraymorph import config

P = "spark.datasource.arraymorph."
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class FakeConf:
    """Records set/unset calls like pyspark.sql.conf.RuntimeConfig."""

    def __init__(self, initial=None):
        self.values = dict(initial or {})
        self.calls = []

    def set(self, key, value):
        self.calls.append(("set", key, value))
        self.values[key] = value

    def get(self, key, default=None):
        return self.values.get(key, default)

    def unset(self, key):
        self.calls.append(("unset", key))
        self.values.pop(key, None)


class FakeSpark:
    def __init__(self, initial=None):
        self.conf = FakeConf(initial)


def test_configure_s3_sets_every_option_under_arraymorphs_names():
    spark = FakeSpark()
    arraymorph.configure_s3(
        "my-bucket",
        "AKIAEXAMPLE",
        SECRET,
        endpoint="127.0.0.1:9000",
        region="us-east-1",
        use_tls=True,
        addressing_style=True,
        use_signed_payloads=True,
        spark=spark,
    )
    assert spark.conf.values == {
        P + "storage": "S3",
        P + "bucket": "my-bucket",
        P + "access_key": "AKIAEXAMPLE",
        P + "secret_key": SECRET,
        P + "endpoint": "127.0.0.1:9000",
        P + "region": "us-east-1",
        P + "use_tls": "true",
        P + "addressing_style": "path",
        P + "signed_payloads": "true",
    }


def test_configure_s3_defaults_match_arraymorph():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "AKIAEXAMPLE", SECRET, spark=spark)
    v = spark.conf.values
    assert v[P + "region"] == "us-east-2"
    assert v[P + "use_tls"] == "false"
    assert v[P + "addressing_style"] == "virtual"
    assert v[P + "signed_payloads"] == "false"
    assert P + "endpoint" not in v


def test_addressing_style_true_means_path_style_and_false_virtual_hosted():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "k", SECRET, addressing_style=True, spark=spark)
    assert spark.conf.values[P + "addressing_style"] == "path"
    arraymorph.configure_s3("b", "k", SECRET, addressing_style=False, spark=spark)
    assert spark.conf.values[P + "addressing_style"] == "virtual"


def test_values_are_strings_so_spark_conf_stores_them_verbatim():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "k", SECRET, use_tls=True, spark=spark)
    assert all(isinstance(c[2], str) for c in spark.conf.calls if c[0] == "set")


def test_reconfiguring_without_endpoint_clears_the_old_endpoint():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "k", SECRET, endpoint="http://127.0.0.1:9000", spark=spark)
    arraymorph.configure_s3("b", "k", SECRET, spark=spark)
    assert P + "endpoint" not in spark.conf.values


def test_no_keys_means_the_default_credential_chain_and_clears_old_keys():
    spark = FakeSpark({P + "access_key": "old", P + "secret_key": "old-secret"})
    arraymorph.configure_s3("b", None, None, spark=spark)
    assert P + "access_key" not in spark.conf.values
    assert P + "secret_key" not in spark.conf.values
    assert spark.conf.values[P + "storage"] == "S3"


def test_only_one_key_is_rejected():
    with pytest.raises(ValueError, match="both 'access_key' and 'secret_key'"):
        arraymorph.configure_s3("b", "k", None, spark=FakeSpark())


@pytest.mark.parametrize("flag", ["use_tls", "addressing_style", "use_signed_payloads"])
def test_string_flags_are_rejected_because_false_would_be_truthy(flag):
    with pytest.raises(TypeError, match=flag):
        arraymorph.configure_s3("b", "k", SECRET, **{flag: "false"}, spark=FakeSpark())


def test_errors_name_the_parameter_but_never_show_a_secret():
    spark = FakeSpark()
    with pytest.raises(ValueError) as e:
        arraymorph.configure_s3("", "AKIAEXAMPLE", SECRET, spark=spark)
    assert "bucket" in str(e.value)
    assert SECRET not in str(e.value)
    with pytest.raises(ValueError) as e:
        arraymorph.configure_s3("b", "AKIAEXAMPLE", "  ", spark=spark)
    assert "secret_key" in str(e.value)
    assert spark.conf.calls == [], "nothing is set when validation fails"


def test_configure_azure_sets_storage_container_and_connection_string():
    spark = FakeSpark()
    cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + SECRET
    arraymorph.configure_azure("my-container", cs, spark=spark)
    assert spark.conf.values == {
        P + "storage": "Azure",
        P + "bucket": "my-container",
        P + "connection_string": cs,
    }


def test_configure_azure_requires_a_connection_string():
    with pytest.raises(ValueError, match="connection_string"):
        arraymorph.configure_azure("c", "", spark=FakeSpark())
    with pytest.raises(TypeError, match="connection_string"):
        arraymorph.configure_azure("c", None, spark=FakeSpark())


def test_current_settings_masks_secrets():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "AKIAEXAMPLE", SECRET, endpoint="http://127.0.0.1:9000", spark=spark)
    shown = arraymorph.current_settings(spark)
    assert shown["access_key"] == "***"
    assert shown["secret_key"] == "***"
    assert shown["endpoint"] == "http://127.0.0.1:9000"
    assert SECRET not in repr(shown)


def test_nothing_is_printed(capsys):
    spark = FakeSpark()
    arraymorph.configure_s3("b", "AKIAEXAMPLE", SECRET, spark=spark)
    arraymorph.configure_azure("c", "AccountKey=" + SECRET, spark=spark)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_a_non_session_is_rejected_clearly():
    with pytest.raises(TypeError, match="SparkSession"):
        arraymorph.configure_s3("b", "k", SECRET, spark=object())


def test_an_endpoint_scheme_decides_tls():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "k", SECRET, endpoint="https://s3.example.test", spark=spark)
    assert spark.conf.values[P + "use_tls"] == "true"
    arraymorph.configure_s3("b", "k", SECRET, endpoint="127.0.0.1:9000", use_tls=True, spark=spark)
    assert spark.conf.values[P + "use_tls"] == "true"
    with pytest.raises(ValueError, match="use_tls=True but an http:// endpoint"):
        arraymorph.configure_s3("b", "k", SECRET, endpoint="http://x:9000", use_tls=True, spark=spark)


@pytest.fixture(autouse=True)
def no_pending_settings():
    config._pending.clear()
    yield
    config._pending.clear()


def fake_pyspark(monkeypatch, active):
    sql = types.ModuleType("pyspark.sql")
    sql.SparkSession = types.SimpleNamespace(getActiveSession=lambda: active)
    pyspark = types.ModuleType("pyspark")
    pyspark.sql = sql
    monkeypatch.setitem(sys.modules, "pyspark", pyspark)
    monkeypatch.setitem(sys.modules, "pyspark.sql", sql)


def test_without_spark_the_active_session_is_configured(monkeypatch):
    active = FakeSpark()
    fake_pyspark(monkeypatch, active)
    arraymorph.configure_s3("b", "AKIAEXAMPLE", SECRET, endpoint="http://127.0.0.1:9000")
    assert active.conf.values[P + "bucket"] == "b"
    assert active.conf.values[P + "endpoint"] == "http://127.0.0.1:9000"
    assert arraymorph.current_settings()["secret_key"] == "***"


def test_without_a_session_the_settings_wait_for_the_next_one(monkeypatch):
    fake_pyspark(monkeypatch, None)
    arraymorph.configure_azure("c", "AccountKey=" + SECRET)
    assert config.pending_settings()[P + "storage"] == "Azure"
    assert config.pending_settings()[P + "connection_string"] == "AccountKey=" + SECRET
    with pytest.raises(ValueError, match="no active SparkSession"):
        arraymorph.current_settings()


def test_switching_to_azure_leaves_exactly_azures_settings():
    spark = FakeSpark()
    arraymorph.configure_s3("b", "AKIAEXAMPLE", SECRET, endpoint="http://127.0.0.1:9000", spark=spark)
    arraymorph.configure_azure("c", "AccountKey=" + SECRET, spark=spark)
    assert spark.conf.values == {
        P + "storage": "Azure",
        P + "bucket": "c",
        P + "connection_string": "AccountKey=" + SECRET,
    }
