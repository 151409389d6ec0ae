"""The wheel as a user gets it: built from the runtime jar, installed with pip into a fresh venv,
``import arraymorph`` finds the bundled jar, the package's tests pass against the installed copy,
and, where PySpark is importable, the quick start notebook and script run for real, locally and
(when the test servers are up: ARRAYMORPH_TEST_S3_*) on S3Proxy through configure_s3.

PySpark comes from ``pip install pyspark`` when an index offers it, or from
``ARRAYMORPH_PYSPARK_PATH`` (PYTHONPATH-style entries, e.g. a Spark checkout's ``python`` dir and
its ``python/lib/py4j-*-src.zip``; with ``SPARK_HOME`` pointing at Spark's jars).
"""

from __future__ import annotations

import base64
import csv
import datetime
import glob
import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
import urllib.request
import uuid
import zipfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
ROOT = os.path.dirname(PYTHON_DIR)
EXAMPLES = os.path.join(ROOT, "examples", "python")
sys.path.insert(0, PYTHON_DIR)

import build_wheel  # noqa: E402

# pip here may have an unreachable default index next to a local one: fail over at once.
PIP_ENV = {"PIP_RETRIES": "0", "PIP_TIMEOUT": "20", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def runtime_jar():
    jars = [j for j in glob.glob(os.path.join(ROOT, "spark-runtime", "target", "arraymorph-spark-runtime-*.jar"))
            if not os.path.basename(j).startswith("original-") and "-sources" not in j]
    if not jars:
        pytest.skip("no runtime jar: build it first (mvn -B -DskipTests -pl python -am package; "
                    "scripts/test.sh runs Maven before these tests)")
    return max(jars, key=os.path.getmtime)


def maven_version(jar):
    return os.path.basename(jar)[len("arraymorph-spark-runtime-"):-len(".jar")]


def run(args, env=None, timeout=900, cwd=None):
    full = dict(os.environ)
    full.update(PIP_ENV)
    full.update(env or {})
    done = subprocess.run(args, env=full, cwd=cwd, timeout=timeout, capture_output=True, text=True)
    return done


def check(args, **kwargs):
    done = run(args, **kwargs)
    assert done.returncode == 0, "%s failed:\n%s\n%s" % (" ".join(args), done.stdout[-4000:], done.stderr[-4000:])
    return done.stdout


# --- the wheel file --------------------------------------------------------------------------------
def test_build_wheel_writes_a_valid_reproducible_wheel(tmp_path):
    jar = tmp_path / "arraymorph-spark-runtime-1.2.3-SNAPSHOT.jar"
    jar.write_bytes(b"a jar's bytes")
    first = build_wheel.build(str(jar), "1.2.3-SNAPSHOT", str(tmp_path / "a"))
    second = build_wheel.build(str(jar), "1.2.3-SNAPSHOT", str(tmp_path / "b"))
    assert os.path.basename(first) == "arraymorph_spark-1.2.3.dev0-py3-none-any.whl"
    assert open(first, "rb").read() == open(second, "rb").read()
    with zipfile.ZipFile(first) as whl:
        names = whl.namelist()
        assert "arraymorph/jars/arraymorph-spark-runtime-1.2.3-SNAPSHOT.jar" in names
        assert whl.read("arraymorph/jars/arraymorph-spark-runtime-1.2.3-SNAPSHOT.jar") == b"a jar's bytes"
        for module in ("__init__.py", "spark.py", "config.py", "arrays.py", "py.typed"):
            assert "arraymorph/" + module in names
        info = "arraymorph_spark-1.2.3.dev0.dist-info/"
        meta = whl.read(info + "METADATA").decode()
        assert "Name: arraymorph-spark\n" in meta and "Version: 1.2.3.dev0\n" in meta
        assert "Requires-Python: >=3.9\n" in meta and "Requires-Dist: numpy" in meta
        assert "Tag: py3-none-any" in whl.read(info + "WHEEL").decode()
        # RECORD lists every other file with its sha256 and size (PEP 376/427)
        rows = list(csv.reader(io.StringIO(whl.read(info + "RECORD").decode())))
        recorded = {r[0]: r for r in rows}
        assert set(recorded) == set(names)
        for name in names:
            if name == info + "RECORD":
                assert recorded[name][1:] == ["", ""]
                continue
            data = whl.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert recorded[name][1:] == ["sha256=" + digest, str(len(data))], name


def test_maven_versions_become_pep440_versions():
    assert build_wheel.python_version("0.1.0-SNAPSHOT") == "0.1.0.dev0"
    assert build_wheel.python_version("1.0.2") == "1.0.2"
    with pytest.raises(ValueError):
        build_wheel.python_version("1.0-beta")


# --- installed in a fresh venv -------------------------------------------------------------------
@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv with pytest and the wheel, built here as Maven builds python/dist's (from the
    runtime jar and the package sources as they are now)."""
    jar = runtime_jar()
    version = maven_version(jar)
    wheel = build_wheel.build(jar, version, str(tmp_path_factory.mktemp("dist")))
    home = tmp_path_factory.mktemp("venv")
    check([sys.executable, "-m", "venv", str(home)])
    python = str(home / "bin" / "python")
    check([python, "-m", "pip", "install", "-q", wheel, "pytest"])
    return {"python": python, "jar": jar, "wheel": wheel}


def test_import_finds_the_bundled_jar(venv):
    out = check([venv["python"], "-c", """
import json, os, zipfile, arraymorph, arraymorph.spark as s
jar = s.jar_path()
with zipfile.ZipFile(jar) as z:
    services = z.read("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister").decode()
print(json.dumps({"jar": jar, "package": os.path.dirname(arraymorph.__file__), "services": services,
                  "version": arraymorph.__version__, "packages": s.PACKAGES}))
"""], env={"ARRAYMORPH_JAR": ""}, cwd=os.path.dirname(venv["python"]))  # not the source tree
    got = json.loads(out)
    assert got["jar"].startswith(os.path.join(got["package"], "jars") + os.sep)
    assert "site-packages" in got["package"]
    with open(got["jar"], "rb") as a, open(venv["jar"], "rb") as b:
        assert a.read() == b.read(), "the bundled jar is the runtime jar the build made"
    assert "io.arraymorph.spark" in got["services"]
    assert got["packages"] == "io.arraymorph:arraymorph-spark-runtime:" + maven_version(venv["jar"])


def test_the_package_tests_pass_against_the_installed_package(venv):
    # numpy comes from the wheel's requirements; pandas/xarray tests skip unless installed.
    out = check([venv["python"], "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 os.path.join(HERE, "test_config.py"), os.path.join(HERE, "test_spark.py"),
                 os.path.join(HERE, "test_arrays.py")],
                env={"ARRAYMORPH_TEST_INSTALLED": "1"}, cwd=str(os.path.dirname(venv["python"])))
    assert " passed" in out and "failed" not in out


# --- real PySpark: the notebook and the script ----------------------------------------------------
@pytest.fixture(scope="module")
def pyspark_venv(venv):
    """The venv with PySpark importable, nbclient and a kernel; skips when PySpark is nowhere."""
    python = venv["python"]
    path = os.environ.get("ARRAYMORPH_PYSPARK_PATH")
    if path:
        site = check([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip()
        with open(os.path.join(site, "arraymorph-test-pyspark.pth"), "w") as f:
            f.write("\n".join(os.path.abspath(p) for p in path.split(os.pathsep) if p) + "\n")
    else:
        done = run([python, "-m", "pip", "install", "-q", "pyspark"], timeout=600)
        if done.returncode != 0:
            pytest.skip("PySpark is not installable here (pip install pyspark: %s); set "
                        "ARRAYMORPH_PYSPARK_PATH to a Spark checkout's python/ and py4j zip to run the "
                        "notebook. The same operations run on real Spark through Spark Connect in "
                        "integration-tests' SparkConnectIT and SparkRuntimeJarIT"
                        % (done.stderr.strip().splitlines() or ["failed"])[-1])
    done = run([python, "-c", "import pyspark; print(pyspark.__version__)"])
    if done.returncode != 0:
        pytest.skip("PySpark is not importable: " + done.stderr.strip().splitlines()[-1])
    check([python, "-m", "pip", "install", "-q", "nbclient", "nbformat", "ipykernel", "matplotlib"])
    return python


def run_notebook(python, env, workdir):
    """Runs every cell of the notebook as shipped in a kernel of the venv; returns the cells."""
    out = os.path.join(workdir, "executed.ipynb")
    check([python, "-c", """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
""", os.path.join(EXAMPLES, "arraymorph_quickstart.ipynb"), out, workdir], env=env, timeout=1200)
    with open(out, encoding="utf-8") as f:
        return json.load(f)["cells"]


def outputs(cells):
    text, images = [], 0
    for cell in cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", "".join(o.get("traceback", []))
            text.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
            images += "image/png" in o.get("data", {})
    return "\n".join(text), images


def assert_quickstart_output(text):
    # the 12 first rows of the slice, sorted: temperature = i * 100 + j from i = 5, j = 5
    assert "|  5|  5|      505.0|" in text and "|  6|  6|      606.0|" in text
    # the listing: the dataset with its shape, type and chunks
    assert "|temperature|dataset|[100,100]|float32|[10,10]|" in text.replace(" ", "")


def spark_env(tmp_path, location):
    return {
        "ARRAYMORPH_LOCATION": location,
        "ARRAYMORPH_PLOT": str(tmp_path / "slice.png"),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOCAL_HOSTNAME": "localhost",
        "AWS_EC2_METADATA_DISABLED": "true",
        "ARRAYMORPH_JAR": "",  # the bundled jar, not an override
    }


def test_notebook_runs_as_shipped_on_the_local_store(pyspark_venv, tmp_path):
    env = spark_env(tmp_path, str(tmp_path / "quickstart.zarr"))
    text, images = outputs(run_notebook(pyspark_venv, env, str(tmp_path)))
    assert_quickstart_output(text)
    assert images == 1, "the plot is shown"
    assert (tmp_path / "slice.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "quickstart.zarr" / "temperature" / "zarr.json").exists()


def test_quickstart_script_runs_on_the_local_store(pyspark_venv, tmp_path):
    env = spark_env(tmp_path, str(tmp_path / "script.zarr"))
    env["MPLBACKEND"] = "Agg"
    out = check([pyspark_venv, os.path.join(EXAMPLES, "quickstart.py")], env=env, cwd=str(tmp_path))
    assert_quickstart_output(out)
    assert (tmp_path / "slice.png").stat().st_size > 1000


def create_bucket(endpoint, access_key, secret_key, bucket):
    """PUT bucket with AWS signature version 2 (S3Proxy accepts it): no SDK needed for one call."""
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    kind = "application/octet-stream"  # urllib sends a Content-Type with a body; it is signed
    to_sign = "PUT\n\n%s\n%s\n/%s" % (kind, date, bucket)
    signature = base64.b64encode(hmac.new(secret_key.encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    request = urllib.request.Request(
        "%s/%s" % (endpoint.rstrip("/"), bucket), method="PUT", data=b"",
        headers={"Date": date, "Content-Type": kind, "Authorization": "AWS %s:%s" % (access_key, signature)})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def test_notebook_runs_as_shipped_on_s3proxy_through_configure_s3(pyspark_venv, tmp_path):
    endpoint = os.environ.get("ARRAYMORPH_TEST_S3_ENDPOINT")
    if not endpoint:
        pytest.skip("no S3 test server: start one with .ci/servers.sh start and source .ci/tools/servers.env")
    key, secret = os.environ["ARRAYMORPH_TEST_S3_ACCESS_KEY"], os.environ["ARRAYMORPH_TEST_S3_SECRET_KEY"]
    bucket = "quickstart-" + uuid.uuid4().hex[:8]
    create_bucket(endpoint, key, secret, bucket)
    env = spark_env(tmp_path, "s3://%s/quickstart.zarr" % bucket)
    env.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_ENDPOINT_URL_S3": endpoint,
                "AWS_REGION": "us-east-1"})
    text, images = outputs(run_notebook(pyspark_venv, env, str(tmp_path)))
    assert_quickstart_output(text)
    assert images == 1
    # configure_s3 put ArrayMorph's settings into the session; the secret is masked
    assert "'storage': 'S3'" in text and "'bucket': '%s'" % bucket in text
    assert "'secret_key': '***'" in text and secret not in text
