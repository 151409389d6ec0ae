"""Builds the ``arraymorph-spark`` wheel: the ``arraymorph`` package with the runtime jar inside.

    python3 python/build_wheel.py --jar spark-runtime/target/arraymorph-spark-runtime-<v>.jar \\
        --version 0.1.0-SNAPSHOT --out python/dist

The Maven build runs this (python/pom.xml, phase ``package``). Written with the standard library
only (a wheel is a zip with METADATA, WHEEL and RECORD files: PEP 427 / the binary distribution
format spec) so that it needs no build backend from a package index, and the build stays offline.
The result is reproducible: fixed timestamps, sorted entries.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = "arraymorph"
DISTRIBUTION = "arraymorph_spark"  # the normalized name of arraymorph-spark, in file names
EPOCH = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: entries independent of build time

REQUIRES = ["numpy>=1.21"]
EXTRAS = {"xarray": ["xarray"], "pandas": ["pandas"]}


def python_version(maven_version: str) -> str:
    """PEP 440 version of a Maven version: 0.1.0-SNAPSHOT -> 0.1.0.dev0."""
    if maven_version.endswith("-SNAPSHOT"):
        return maven_version[: -len("-SNAPSHOT")] + ".dev0"
    if not re.fullmatch(r"\d+(\.\d+)*", maven_version):
        raise ValueError("cannot map Maven version %r to a Python version" % maven_version)
    return maven_version


def metadata(version: str) -> str:
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    lines = [
        "Metadata-Version: 2.1",
        "Name: arraymorph-spark",
        "Version: " + version,
        "Summary: ArrayMorph for Spark: N-d arrays on object stores with PySpark (bundles the connector jar)",
        "License: Apache-2.0",
        "Requires-Python: >=3.9",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Framework :: Jupyter",
    ]
    lines += ["Requires-Dist: " + r for r in REQUIRES]
    for extra, reqs in EXTRAS.items():
        lines.append("Provides-Extra: " + extra)
        lines += ['Requires-Dist: %s; extra == "%s"' % (r, extra) for r in reqs]
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + readme


def wheel_file() -> str:
    return "Wheel-Version: 1.0\nGenerator: arraymorph build_wheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def package_files(jar: str):
    """(path in the wheel, path on disk) of the package's modules and the jar, sorted."""
    files = []
    source = os.path.join(HERE, PACKAGE)
    for name in sorted(os.listdir(source)):
        if name.endswith(".py") or name == "py.typed":
            files.append((PACKAGE + "/" + name, os.path.join(source, name)))
    files.append((PACKAGE + "/jars/" + os.path.basename(jar), jar))
    return files


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def build(jar: str, maven_version: str, out: str) -> str:
    """Writes the wheel into ``out``; returns its path."""
    if not os.path.isfile(jar):
        raise FileNotFoundError("no runtime jar at %s: build spark-runtime first" % jar)
    version = python_version(maven_version)
    dist_info = "%s-%s.dist-info" % (DISTRIBUTION, version)
    entries = [(arc, open(path, "rb").read()) for arc, path in package_files(jar)]
    entries.append((dist_info + "/METADATA", metadata(version).encode("utf-8")))
    entries.append((dist_info + "/WHEEL", wheel_file().encode("utf-8")))
    entries.append((dist_info + "/top_level.txt", (PACKAGE + "\n").encode("utf-8")))
    record = "".join("%s,%s,%d\n" % (arc, _record_hash(data), len(data)) for arc, data in entries)
    record += dist_info + "/RECORD,,\n"
    entries.append((dist_info + "/RECORD", record.encode("utf-8")))

    os.makedirs(out, exist_ok=True)
    target = os.path.join(out, "%s-%s-py3-none-any.whl" % (DISTRIBUTION, version))
    for old in os.listdir(out):  # one wheel in dist/: the one this build made
        if old.startswith(DISTRIBUTION + "-") and old.endswith(".whl"):
            os.remove(os.path.join(out, old))
    partial = target + ".part"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as whl:
        for arc, data in entries:
            info = zipfile.ZipInfo(arc, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if arc.endswith(".jar") else zipfile.ZIP_DEFLATED
            whl.writestr(info, data)
    os.replace(partial, target)
    return target


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", required=True, help="the arraymorph-spark-runtime jar to bundle")
    parser.add_argument("--version", required=True, help="the Maven project version")
    parser.add_argument("--out", default=os.path.join(HERE, "dist"), help="output directory")
    args = parser.parse_args(argv)
    print("built", build(args.jar, args.version, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
