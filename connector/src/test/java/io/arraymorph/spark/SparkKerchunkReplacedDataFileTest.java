package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file that kerchunk references name, replaced by one of the same size after the read was
 * planned (Spark) or the dataset opened (Java API), fails the read with an error naming the file
 * and saying to re-run it, on the local store, S3 (S3Proxy) and Azure (Azurite), where each chunk's
 * GET carries If-Match and the 412 becomes that error: refs hold byte offsets into files they do
 * not version, so without core's check the new file's bytes would be read at the old offsets
 * silently. Before the replacement the same reads give the values of the file read in place.
 */
@StartsServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkKerchunkReplacedDataFileTest {
  private static final String FILE = "classic.h5";

  /** 800 x 600 float32 in 64 x 64 chunks, stored in the file (not inlined in the refs). */
  private static final String DATASET = "/large";

  private SparkSession spark;
  private byte[] original;

  @BeforeAll
  void start() throws Exception {
    original = Files.readAllBytes(SparkFixtureFiles.hdf5().resolve(FILE));
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** A location holding a copy of the file and its references (naming it by its full URL). */
  private record Location(String root, Map<String, String> settings) {
    ObjectStore open() {
      return ObjectStores.open(root, StoreSettings.of(settings));
    }

    String refs() {
      return root + "/" + FILE + ".json";
    }
  }

  private Location local(Path dir) {
    return new Location(dir.toString(), Map.of());
  }

  private Location s3() {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("kerchunk-replaced");
    server.createBucket(bucket);
    return new Location("s3://" + bucket + "/refs", server.settings(bucket));
  }

  private Location azure() {
    AzuriteServer server = AzuriteServer.get();
    String container = AzuriteServer.uniqueContainerName("kerchunk-replaced");
    server.createContainer(container);
    return new Location("az://" + container + "/refs", server.settings(container));
  }

  private void upload(Location at) {
    try (ObjectStore store = at.open()) {
      Futures.join(store.put(FILE, original));
      try (Hdf5File h5 = Hdf5File.open(store, FILE)) {
        Futures.join(
            store.put(FILE + ".json", KerchunkWriter.write(h5, at.root() + "/" + FILE).toJson()));
      }
    }
  }

  /** Replaces the data file with its bytes, each XOR {@code 0x5a}: the same size. */
  private void replaceDataFile(Location at) {
    byte[] garbage = original.clone();
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] ^= 0x5a;
    }
    try (ObjectStore store = at.open()) {
      Futures.join(store.put(FILE, garbage));
      assertEquals(original.length, Futures.join(store.head(FILE)).orElseThrow().size());
    }
  }

  private static ConcurrentWriteException replacement(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = failure; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain.stream()
        .filter(ConcurrentWriteException.class::isInstance)
        .map(ConcurrentWriteException.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no replacement error in", failure));
  }

  private static void assertNamesTheFile(ConcurrentWriteException e, Location at) {
    assertTrue(e.getMessage().contains(at.root() + "/" + FILE), e.getMessage());
    assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
  }

  private void sparkReadOfAReplacedDataFileFails(Location at) {
    upload(at);
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(at.settings())
            .option("dataset", DATASET)
            .option("decode_cf", "false")
            .load(at.refs());
    String i = df.columns()[0];
    df = df.where(i + " BETWEEN 60 AND 69");
    List<Row> before = df.collectAsList();
    Dataset<Row> direct =
        spark
            .read()
            .format("arraymorph")
            .options(at.settings())
            .option("dataset", DATASET)
            .option("decode_cf", "false")
            .load(at.root() + "/" + FILE)
            .where(i + " BETWEEN 60 AND 69");
    assertEquals(6000, before.size());
    assertEquals(direct.collectAsList(), before, "the refs read the file's values");
    df.queryExecution().executedPlan(); // planned on the file as it is now
    replaceDataFile(at);
    Throwable failure = assertThrows(Exception.class, df::collectAsList);
    assertNamesTheFile(replacement(failure), at);
  }

  private void javaApiReadOfAReplacedDataFileFails(Location at) {
    upload(at);
    try (ArrayStore refs = ArrayStore.open(at.refs(), StoreSettings.of(at.settings()));
        ArrayStore file =
            ArrayStore.open(at.root() + "/" + FILE, StoreSettings.of(at.settings()))) {
      io.arraymorph.api.Dataset ds = refs.dataset(DATASET);
      assertArrayEquals(file.dataset(DATASET).read().bytes(), ds.read().bytes());
      replaceDataFile(at);
      ConcurrentWriteException e = assertThrows(ConcurrentWriteException.class, ds::read);
      assertNamesTheFile(e, at);
    }
  }

  @Test
  void sparkOnTheLocalStore(@TempDir Path dir) {
    sparkReadOfAReplacedDataFileFails(local(dir));
  }

  @Test
  void sparkOnS3() {
    sparkReadOfAReplacedDataFileFails(s3());
  }

  @Test
  void sparkOnAzure() {
    sparkReadOfAReplacedDataFileFails(azure());
  }

  @Test
  void javaApiOnTheLocalStore(@TempDir Path dir) {
    javaApiReadOfAReplacedDataFileFails(local(dir));
  }

  @Test
  void javaApiOnS3() {
    javaApiReadOfAReplacedDataFileFails(s3());
  }

  @Test
  void javaApiOnAzure() {
    javaApiReadOfAReplacedDataFileFails(azure());
  }
}
