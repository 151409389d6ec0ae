package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The references are what kerchunk readers expect: Debian's fsspec ReferenceFileSystem and
 * zarr-python v2 open them (scripts/check_kerchunk_refs.py) and read every referenced array -
 * chunked, contiguous, compact, inline - equal to h5py's values.
 */
class KerchunkJsonReadsInFsspecZarrTest {
  private static final String PYTHON =
      System.getProperty("arraymorph.fixtures.python", "/usr/bin/python3");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"classic.h5", "latest.h5", "userblock.h5", "climate.nc"})
  void fsspecAndZarrReadTheReferencesLikeH5py(String file) throws Exception {
    Path h5 = Hdf5Fixtures.dir().resolve(file);
    Path json = tmp.resolve(file + ".json");
    KerchunkWriter.Result result;
    try (ObjectStore store = ObjectStores.open(Hdf5Fixtures.dir().toString());
        Hdf5File f = Hdf5File.open(store, file)) {
      result = KerchunkWriter.write(f, h5.toAbsolutePath().toString());
    }
    Files.write(json, result.toJson());
    Path script =
        Paths.get("").toAbsolutePath().resolveSibling("scripts").resolve("check_kerchunk_refs.py");
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), json.toString(), h5.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out");
    assertEquals(
        0,
        p.exitValue(),
        "fsspec/zarr disagree (needs python3-fsspec, python3-zarr, python3-h5py; see"
            + " scripts/install-fixture-deps.sh):\n"
            + out);
    assertTrue(
        out.contains("checked " + result.variables().size() + " arrays"),
        "every referenced array is checked:\n" + out);
  }
}
