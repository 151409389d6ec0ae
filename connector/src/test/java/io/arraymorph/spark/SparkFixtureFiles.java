package io.arraymorph.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * HDF5/NetCDF4 fixtures made by real libhdf5 and netCDF4-python: {@code
 * scripts/make_hdf5_fixtures.py} (with h5py's values and chunk indexes in {@code manifest.json})
 * and {@code scripts/make_netcdf_spark_fixtures.py} (CF-encoded variables with the decoded values
 * expected, and a directory of 100 files), generated once per build under {@code target/}. Missing
 * Python packages fail the tests with the install hint; tests never silently skip.
 */
final class SparkFixtureFiles {
  private static final String PYTHON =
      System.getProperty("arraymorph.fixtures.python", "/usr/bin/python3");

  private static Path hdf5;
  private static Path netcdf;
  private static Path zarrV2;
  private static Path legacy;
  private static Path zarrV3;
  private static Path coordinates;
  private static Path rechunk;
  private static Path vds;

  private SparkFixtureFiles() {}

  /** The h5py fixtures (classic.h5, latest.h5, climate.nc, ... and manifest.json). */
  static synchronized Path hdf5() {
    if (hdf5 == null) {
      hdf5 = generate("make_hdf5_fixtures.py", "spark-hdf5-fixtures", "manifest.json");
    }
    return hdf5;
  }

  /**
   * h5py's virtual datasets (vds_*.h5 beside their source files, h5py's values in manifest.json and
   * *.bin).
   */
  static synchronized Path vds() {
    if (vds == null) {
      vds = generate("make_vds_fixtures.py", "spark-vds-fixtures", "manifest.json");
    }
    return vds;
  }

  /** The netCDF4 fixtures (cf.nc, many/, mismatch/). */
  static synchronized Path netcdf() {
    if (netcdf == null) {
      netcdf = generate("make_netcdf_spark_fixtures.py", "spark-netcdf-fixtures", "done");
    }
    return netcdf;
  }

  /**
   * CF files with time/lat/lon coordinates for coordinate pushdown: one.nc, julian.nc, shuffled.nc,
   * collection/g_KK.nc, zarr/, each with netCDF4-python's values in a JSON beside it.
   */
  static synchronized Path coordinates() {
    if (coordinates == null) {
      coordinates = generate("make_coordinate_fixtures.py", "spark-coordinate-fixtures", "done");
    }
    return coordinates;
  }

  /** zarr-python's Zarr v2 fixtures (store/, ref/<name>.bin, manifest.json). */
  static synchronized Path zarrV2() {
    if (zarrV2 == null) {
      zarrV2 = generate("make_zarr_v2_fixtures.py", "spark-zarr-v2-fixtures", "manifest.json");
    }
    return zarrV2;
  }

  /**
   * Zarr v3 arrays written from the specification by numpy and numcodecs, one per codec and a
   * sharded one (store/, ref/<name>.bin, manifest.json).
   */
  static synchronized Path zarrV3() {
    if (zarrV3 == null) {
      zarrV3 = generate("make_zarr_v3_fixtures.py", "spark-zarr-v3-fixtures", "manifest.json");
    }
    return zarrV3;
  }

  /**
   * Datasets in the ArrayMorph C++ plugin's layout (store/file.h5/<name>/, ref/, manifest.json).
   */
  static synchronized Path legacy() {
    if (legacy == null) {
      legacy = generate("make_legacy_fixtures.py", "spark-legacy-fixtures", "manifest.json");
    }
    return legacy;
  }

  /**
   * The rechunk fixtures of h5py, netCDF4 and zarr-python (series.h5, series.nc, series.zarr/ and
   * expected/<file>/<dataset>.bin).
   */
  static synchronized Path rechunk() {
    if (rechunk == null) {
      rechunk =
          generate(
              "make_rechunk_fixtures.py",
              "spark-rechunk-fixtures",
              "expected/series.zarr/pressure.bin");
    }
    return rechunk;
  }

  static JsonNode json(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path generate(String scriptName, String dirName, String marker) {
    Path module = Paths.get("").toAbsolutePath();
    Path script = module.resolveSibling("scripts").resolve(scriptName);
    Path out = module.resolve("target").resolve(dirName);
    try {
      Path done = out.resolve(marker);
      if (Files.exists(done)
          && Files.getLastModifiedTime(done).compareTo(Files.getLastModifiedTime(script)) > 0) {
        return out;
      }
      Files.createDirectories(out);
      Files.deleteIfExists(done); // written last: present means complete
      Process p =
          new ProcessBuilder(PYTHON, script.toString(), out.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("Fixture generation timed out: " + script);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(hint() + output);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + PYTHON + ". " + hint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String hint() {
    return "Fixtures need Debian's python3-h5py, python3-netcdf4 and python3-numpy under "
        + PYTHON
        + "; install them with scripts/install-fixture-deps.sh. Generator output:\n";
  }
}
