"""ArrayMorph's Python configuration API, for ArrayMorph for Spark.

ArrayMorph (the HDF5 plugin) is configured from Python with ``configure_s3`` and
``configure_azure``, which set environment variables for the plugin. These functions keep
ArrayMorph's names, parameters and defaults, but a Spark job's executors do not share the
notebook's environment, so they set Spark session configuration instead:
``spark.datasource.arraymorph.<option>``, which the ``arraymorph`` data source resolves on the
driver and ships to executors with the query plan. ``spark.conf.set`` is all they use, so they
work the same over Spark Connect.

    import arraymorph
    arraymorph.configure_s3(bucket="my-bucket", access_key=key, secret_key=secret,
                            endpoint="http://127.0.0.1:9000", addressing_style=True)

The settings go to ``spark=`` when given, else to the active SparkSession; they are also kept
and applied to sessions made later by :func:`arraymorph.spark.session` or
:func:`arraymorph.spark.configure`, so they may be called before the session exists, as in
ArrayMorph. Option names, environment variables and precedence: docs/configuration.md.
Per-read ``.option(...)`` values override these; these override environment variables.

Secrets (access keys, connection strings) are never printed: errors name the parameter, not
its value, and ``current_settings`` masks them.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = [
    "PREFIX",
    "SECRET_OPTIONS",
    "configure_s3",
    "configure_azure",
    "current_settings",
    "pending_settings",
]

#: Prefix of ArrayMorph's keys in the Spark session configuration.
PREFIX = "spark.datasource.arraymorph."

#: Options whose values are secrets: never printed.
SECRET_OPTIONS = frozenset(
    {"access_key", "secret_key", "session_token", "connection_string", "sas_token", "account_key"}
)

#: Every option these functions set or read (docs/configuration.md).
_OPTIONS = (
    "storage",
    "bucket",
    "access_key",
    "secret_key",
    "session_token",
    "region",
    "endpoint",
    "use_tls",
    "addressing_style",
    "signed_payloads",
    "connection_string",
)

_MASK = "***"


#: Settings (``option -> value``; ``None`` = unset) of the last configure_s3/configure_azure call,
#: for sessions made after it.
_pending: Dict[str, Optional[str]] = {}


def configure_s3(
    bucket: str,
    access_key: Optional[str],
    secret_key: Optional[str],
    endpoint: Optional[str] = None,
    region: str = "us-east-2",
    use_tls: bool = False,
    addressing_style: bool = False,
    use_signed_payloads: bool = False,
    *,
    spark: Any = None,
) -> None:
    """Configures S3 (or an S3-compatible store) for ArrayMorph reads and writes.

    Same parameters, defaults and meanings as ArrayMorph's ``arraymorph.configure_s3``.

    Args:
        bucket: the bucket used when a location names none. Sets ``bucket``.
        access_key: the access key ID. Sets ``access_key``. Pass ``None`` together with
            ``secret_key=None`` to use the AWS default credential chain instead.
        secret_key: the secret access key paired with ``access_key``. Sets ``secret_key``.
        endpoint: an S3-compatible endpoint such as ``http://127.0.0.1:9000`` (MinIO,
            Ceph, Garage). ``None`` means AWS, and clears an endpoint set earlier.
        region: the SigV4 signing region. Sets ``region``.
        use_tls: ``True`` for https. Sets ``use_tls`` to ``"true"``/``"false"``. When
            ``endpoint`` starts with ``http://`` or ``https://`` the scheme decides instead
            (the store rejects an endpoint and a ``use_tls`` that disagree), and
            ``use_tls=True`` with an ``http://`` endpoint is an error.
        addressing_style: ``True`` for path-style requests (``endpoint/bucket/key``),
            which most S3-compatible stores need; ``False`` for virtual-hosted style
            (``bucket.endpoint/key``). This is the meaning ArrayMorph documents; its C++
            plugin reads the resulting variable the other way round, ArrayMorph for Spark
            does not. Sets ``addressing_style`` to ``"path"``/``"virtual"``.
        use_signed_payloads: sign request bodies (SigV4 with payload signing), which some
            S3-compatible stores require. Sets ``signed_payloads`` to ``"true"``/``"false"``.
        spark: the SparkSession to configure (anything with ``conf.set``); default: the
            active session, if any. Sessions made later by :mod:`arraymorph.spark` get the
            same settings either way.

    Raises:
        ValueError: a required value is empty, or only one of the two keys is given.
        TypeError: a flag is not a bool (``"false"`` would otherwise count as true).
    """
    _require_text("bucket", bucket)
    _require_text("region", region)
    if (access_key is None) != (secret_key is None):
        raise ValueError(
            "configure_s3() needs both 'access_key' and 'secret_key', or neither (then the AWS "
            "default credential chain is used)"
        )
    if access_key is not None:
        _require_text("access_key", access_key)
        _require_text("secret_key", secret_key)
    if endpoint is not None:
        _require_text("endpoint", endpoint)
    flags = {
        "use_tls": use_tls,
        "addressing_style": addressing_style,
        "use_signed_payloads": use_signed_payloads,
    }
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TypeError(
                "configure_s3() parameter '%s' must be True or False, not a %s"
                % (name, type(value).__name__)
            )

    if endpoint is not None:
        scheme = endpoint.strip().lower().split("://", 1)[0] if "://" in endpoint else None
        if scheme == "http" and use_tls:
            raise ValueError(
                "configure_s3() got use_tls=True but an http:// endpoint; use an https:// "
                "endpoint or use_tls=False"
            )
        if scheme == "https":
            use_tls = True

    settings: Dict[str, Optional[str]] = {
        "storage": "S3",
        "bucket": bucket,
        "region": region,
        "use_tls": _bool_text(use_tls),
        "addressing_style": "path" if addressing_style else "virtual",
        "signed_payloads": _bool_text(use_signed_payloads),
        # None: unset, so that settings of an earlier call do not linger.
        "access_key": access_key,
        "secret_key": secret_key,
        "session_token": None,
        "endpoint": endpoint,
        "connection_string": None,
    }
    _apply(spark, settings)


def configure_azure(container: str, connection_string: str, *, spark: Any = None) -> None:
    """Configures Azure Blob Storage for ArrayMorph reads and writes.

    Same parameters and meanings as ArrayMorph's ``arraymorph.configure_azure``.

    Args:
        container: the container used when a location names none. Sets ``bucket``.
        connection_string: the storage account's connection string (it holds the account
            key or a SAS token: a secret). Sets ``connection_string``.
        spark: the SparkSession to configure; default: the active session, if any (see
            :func:`configure_s3`).

    Raises:
        ValueError: ``container`` or ``connection_string`` is empty.
    """
    _require_text("container", container)
    _require_text("connection_string", connection_string)
    _apply(
        spark,
        {
            "storage": "Azure",
            "bucket": container,
            "connection_string": connection_string,
            # S3's settings of an earlier configure_s3 go: the session holds exactly these.
            "access_key": None,
            "secret_key": None,
            "session_token": None,
            "endpoint": None,
            "region": None,
            "use_tls": None,
            "addressing_style": None,
            "signed_payloads": None,
        },
    )


def pending_settings() -> Dict[str, Optional[str]]:
    """The settings of the last ``configure_*`` call (full keys; ``None`` means unset).

    :mod:`arraymorph.spark` applies them to the sessions it makes. Holds secrets: do not print.
    """
    return {PREFIX + option: value for option, value in _pending.items()}


def _apply(spark: Any, settings: Dict[str, Optional[str]]) -> None:
    _pending.clear()
    _pending.update(settings)
    if spark is None:
        spark = _active_session()
        if spark is None:
            return  # applied when arraymorph.spark makes the session
    _write(_conf(spark), settings)


def _write(conf: Any, settings: Dict[str, Optional[str]]) -> None:
    for option, value in settings.items():
        if value is None:
            _unset(conf, option)
        else:
            conf.set(PREFIX + option, value)


def _active_session() -> Any:
    """PySpark's active session (classic or Spark Connect), or None (also without PySpark)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


def current_settings(spark: Any = None) -> Dict[str, str]:
    """ArrayMorph's settings in ``spark``'s session configuration, secrets masked as ``***``.

    Safe to print or log.

    Args:
        spark: the SparkSession; default: the active session.
    """
    if spark is None:
        spark = _active_session()
    conf = _conf(spark)
    shown = {}
    for option in _OPTIONS:
        value = conf.get(PREFIX + option, None)
        if value is not None:
            shown[option] = _MASK if option in SECRET_OPTIONS else str(value)
    return shown


def _conf(spark: Any) -> Any:
    if spark is None:
        raise ValueError(
            "no active SparkSession: pass spark=..., or make one first "
            "(arraymorph.spark.session())"
        )
    conf = getattr(spark, "conf", None)
    if conf is None or not callable(getattr(conf, "set", None)):
        raise TypeError(
            "expected a SparkSession (an object with .conf.set), got %s" % type(spark).__name__
        )
    return conf


def _require_text(name: str, value: Any) -> None:
    # Never include the value: it may be a secret.
    if not isinstance(value, str):
        raise TypeError("parameter '%s' must be a string, not %s" % (name, type(value).__name__))
    if not value.strip():
        raise ValueError("parameter '%s' must not be empty" % name)


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _unset(conf: Any, option: str) -> None:
    # Only what is set: Spark Connect's unset of an absent key is a server round trip.
    if conf.get(PREFIX + option, None) is not None:
        conf.unset(PREFIX + option)
