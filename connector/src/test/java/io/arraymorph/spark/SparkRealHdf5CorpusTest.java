package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.hdf5.corpus.CorpusTally;
import io.arraymorph.hdf5.corpus.RealHdf5Corpus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Numeric and typed (string, compound, enum, array) datasets of the shared corpus of real
 * HDF5/NetCDF4 files read through {@code format("arraymorph")} (cells layout, CF decoding off) and
 * compared with h5py element by element. Any wrong value fails the test; refusals are counted with
 * their reasons in {@code target/real-hdf5-corpus/report-spark.tsv}. Datasets over {@link
 * #MAX_ELEMENTS} elements are left to the Java API suite (a row per element is collected here).
 *
 * <p>One Spark job per dataset costs about 0.2 s, and one corpus file alone holds 2001 datasets: by
 * default every file is read, but at most {@link #PER_FILE} of its numeric and of its typed
 * datasets, spread evenly over its list (a deterministic sample of the same datasets every run).
 * {@code -Darraymorph.corpus.spark=full} reads them all (about 70 minutes on 2 busy cores: {@code
 * mvn -B -o -pl connector -am verify -DskipITs -Dtest=SparkRealHdf5CorpusTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Darraymorph.corpus.spark=full
 * -Darraymorph.corpus.real-hdf5=../shared/corpus/real-hdf5}; last full run: 3098 of 3099 numeric
 * and 268 of 269 typed datasets exact, none wrong). The Java API suite ({@code RealHdf5CorpusTest}
 * in core) always reads every dataset; the decoding behind both is core's.
 */
class SparkRealHdf5CorpusTest {
  private static final long MAX_ELEMENTS = 1 << 20;
  private static final int PER_FILE = 8;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    if (RealHdf5Corpus.folder().isPresent()) {
      spark = SparkTestSupport.session();
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void numericAndTypedDatasetsReadLikeH5pyOrAreRefusedByName() {
    var folder = RealHdf5Corpus.folder();
    Assumptions.assumeTrue(folder.isPresent(), RealHdf5Corpus::absentMessage);
    boolean full = "full".equals(System.getProperty("arraymorph.corpus.spark"));
    CorpusTally tally =
        new CorpusTally(
            "Spark format(\"arraymorph\")"
                + (full ? "" : " (at most " + PER_FILE + " datasets of each kind per file)"));
    List<String> files = RealHdf5Corpus.files();
    for (String file : files) {
      String location = folder.get().resolve(file).toString();
      for (RealHdf5Corpus.Entry e : sample(RealHdf5Corpus.entries(file, "numeric"), full)) {
        read(location, e, tally);
      }
      for (RealHdf5Corpus.Entry e : sample(RealHdf5Corpus.entries(file, "typed"), full)) {
        readTyped(location, e, tally);
      }
    }
    tally.write(Path.of("target", "real-hdf5-corpus", "report-spark.tsv"), files.size());
    System.out.println(tally.summary(files.size()));
    assertEquals(List.of(), tally.wrongValues(), "datasets read with values h5py does not read");
  }

  /**
   * Every file of the corpus lists its datasets through {@code option("list", "datasets")}: one
   * object this reader cannot parse costs that object (listed by name, or left out if a link),
   * never the file's listing.
   */
  @Test
  void everyFileListsItsDatasets() {
    var folder = RealHdf5Corpus.folder();
    Assumptions.assumeTrue(folder.isPresent(), RealHdf5Corpus::absentMessage);
    CorpusTally tally = new CorpusTally("Spark format(\"arraymorph\") list=datasets");
    List<String> files = RealHdf5Corpus.files();
    for (String file : files) {
      try {
        spark
            .read()
            .format("arraymorph")
            .option("list", "datasets")
            .load(folder.get().resolve(file).toString())
            .collectAsList();
      } catch (Exception ex) { // Spark's SparkException is checked in Java's eyes, thrown anyway
        tally.listingFailed(file, ex);
      }
    }
    System.out.println(tally.summary(files.size()));
    assertEquals(List.of(), tally.listingFailures(), "files whose listing failed");
  }

  /** All entries, or {@link #PER_FILE} of them spread evenly (first and last included). */
  static List<RealHdf5Corpus.Entry> sample(List<RealHdf5Corpus.Entry> all, boolean full) {
    if (full || all.size() <= PER_FILE) {
      return all;
    }
    List<RealHdf5Corpus.Entry> out = new ArrayList<>(PER_FILE);
    for (int i = 0; i < PER_FILE; i++) {
      out.add(all.get((int) ((long) i * (all.size() - 1) / (PER_FILE - 1))));
    }
    return out;
  }

  private static void readTyped(String location, RealHdf5Corpus.Entry e, CorpusTally tally) {
    if (e.meta().get("values").size() > MAX_ELEMENTS) {
      return;
    }
    List<Row> rows;
    try {
      rows =
          spark
              .read()
              .format("arraymorph")
              .option("dataset", e.path())
              .option("decode_cf", "false")
              .load(location)
              .collectAsList();
    } catch (Exception ex) { // Spark's SparkException is checked in Java's eyes, thrown anyway
      tally.refused("typed", e, ex);
      return;
    }
    try {
      SparkHdf5TypesTest.assertRowsEqualH5py(e.meta(), rows);
      tally.exact("typed", e);
    } catch (AssertionError | RuntimeException ex) {
      tally.wrong("typed", e, String.valueOf(ex.getMessage()));
    }
  }

  private static void read(String location, RealHdf5Corpus.Entry e, CorpusTally tally) {
    long[] shape = longs(e);
    long total = 1;
    for (long s : shape) {
      total *= s;
    }
    if (total > MAX_ELEMENTS) {
      return;
    }
    List<Row> rows;
    try {
      rows =
          spark
              .read()
              .format("arraymorph")
              .option("dataset", e.path())
              .option("decode_cf", "false")
              .load(location)
              .collectAsList();
    } catch (Exception ex) { // Spark's SparkException is checked in Java's eyes, thrown anyway
      tally.refused("numeric", e, ex);
      return;
    }
    if (rows.size() != total) {
      tally.wrong("numeric", e, rows.size() + " rows for " + total + " elements");
      return;
    }
    ByteBuffer ref = ByteBuffer.wrap(e.reference()).order(ByteOrder.LITTLE_ENDIAN);
    String dtype = e.meta().get("dtype").asText();
    int rank = shape.length;
    boolean[] seen = new boolean[(int) total];
    for (Row r : rows) {
      long linear = 0;
      for (int d = 0; d < rank; d++) {
        linear = linear * shape[d] + r.getLong(d);
      }
      if (linear < 0 || linear >= total || seen[(int) linear]) {
        tally.wrong("numeric", e, "element " + linear + " out of range or twice");
        return;
      }
      seen[(int) linear] = true;
      Object got = r.get(rank);
      if (!same(reference(ref, dtype, (int) linear), got)) {
        tally.wrong(
            "numeric",
            e,
            "element " + linear + ": " + got + ", h5py " + reference(ref, dtype, (int) linear));
        return;
      }
    }
    tally.exact("numeric", e);
  }

  private static long[] longs(RealHdf5Corpus.Entry e) {
    long[] out = new long[e.meta().get("shape").size()];
    for (int d = 0; d < out.length; d++) {
      out[d] = e.meta().get("shape").get(d).asLong();
    }
    return out;
  }

  /** h5py's element {@code k} as the Java value Spark returns for its dtype. */
  private static Object reference(ByteBuffer b, String dtype, int k) {
    return switch (dtype) {
      case "int8" -> b.get(k);
      case "uint8" -> (short) (b.get(k) & 0xff);
      case "int16" -> b.getShort(2 * k);
      case "uint16" -> b.getShort(2 * k) & 0xffff;
      case "int32" -> b.getInt(4 * k);
      case "uint32" -> b.getInt(4 * k) & 0xffffffffL;
      case "int64" -> b.getLong(8 * k);
      case "uint64" -> new BigDecimal(new BigInteger(Long.toUnsignedString(b.getLong(8 * k))));
      case "float16" -> (float) SparkReferenceValues.halfToDouble(b.getShort(2 * k));
      case "float32" -> b.getFloat(4 * k);
      case "float64" -> b.getDouble(8 * k);
      default -> throw new IllegalArgumentException(dtype);
    };
  }

  /** Equal values; NaN equals NaN (h5py's and Spark's NaN payloads may differ). */
  private static boolean same(Object expected, Object got) {
    if (expected instanceof Float f && got instanceof Float g) {
      return Float.compare(f, g) == 0;
    }
    if (expected instanceof Double f && got instanceof Double g) {
      return Double.compare(f, g) == 0;
    }
    if (expected instanceof BigDecimal x && got instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    return expected.equals(got);
  }
}
