package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpCommandTest {
  @TempDir Path src;
  @TempDir Path dst;

  @Test
  void copyToOtherChunksAndCodecKeepsEveryValueAndTheMetadata() {
    Cli.writeSample(src);
    Cli.Result r =
        Cli.run(
            "cp",
            src.toString(),
            "values",
            dst.toString(),
            "out/v",
            "--chunks",
            "4,16",
            "--codec",
            "gzip",
            "--buffer-size",
            "512", // 2 chunks of 4x16 int32 per block: many blocks
            "--no-progress");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("Copied"), r.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("out/v");
      assertArrayEquals(new long[] {20, 30}, d.shape());
      assertArrayEquals(new int[] {4, 16}, d.chunkShape());
      assertTrue(d.codecDescription().contains("gzip"), d.codecDescription());
      assertEquals(List.of("y", "x"), d.dimensionNames());
      // The user's attributes, beside the version the write protocol records.
      assertEquals(Map.of("units", "K"), withoutVersion(d.attributes()));
      assertFirstVersion(d.attributes());
      assertArrayEquals(Cli.sampleValues(), d.read().toIntArray());
    }
    Cli.Result ls = Cli.run("ls", dst.toString());
    assertTrue(ls.out().contains("out/v"), ls.toString());
  }

  @Test
  void copyWithoutOptionsKeepsTheChunksAndUsesZstd() {
    Cli.writeSample(src);
    Cli.Result r = Cli.run("cp", src.toString(), "grp/temp", dst.toString());
    assertEquals(0, r.exit(), r.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("grp/temp");
      assertArrayEquals(new int[] {2}, d.chunkShape());
      assertTrue(d.codecDescription().contains("zstd"), d.codecDescription());
      assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5, 4.5}, d.read().toDoubleArray());
    }
  }

  @Test
  void blocksHoldingOnlyTheFillValueWriteNoChunks() {
    try (ArrayStore store = ArrayStore.open(src.toString())) {
      Dataset d =
          store.createDataset(
              "sparse", ArraySpec.of(DataType.FLOAT32, 40, 40).chunks(10, 10).fillValue(-1));
      d.write(new long[] {0, 0}, NdArray.of(new float[] {1, 2, 3, 4}, 2, 2));
    }
    Cli.Result r =
        Cli.run(
            "cp",
            src.toString(),
            "sparse",
            dst.toString(),
            "--chunks",
            "10,10",
            "--buffer-size",
            "400");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("16 blocks, 15 skipped"), r.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("sparse");
      float[] v = d.read().toFloatArray();
      assertEquals(2f, v[1]);
      assertEquals(-1f, v[39 * 40 + 39]);
    }
    Cli.Result info = Cli.run("info", "--chunks", dst.toString(), "sparse");
    assertTrue(info.out().contains("stored chunks: 1 of 16"), info.toString());
  }

  /**
   * Within a block, chunks holding only the fill value get no object; an overwrite removes the
   * previous version's chunks there, so they read as the fill value, not as the old data.
   */
  @Test
  void chunksHoldingOnlyTheFillValueWithinABlockWriteNoObjectEvenOverAnOldVersion() {
    float[] full = new float[12 * 12];
    java.util.Arrays.fill(full, 7f);
    try (ArrayStore store = ArrayStore.open(src.toString())) {
      store
          .createDataset("full", ArraySpec.of(DataType.FLOAT32, 12, 12).chunks(4, 4).fillValue(-1))
          .write(new long[] {0, 0}, NdArray.of(full, 12, 12));
      store
          .createDataset(
              "sparse", ArraySpec.of(DataType.FLOAT32, 12, 12).chunks(4, 4).fillValue(-1))
          .write(new long[] {1, 1}, NdArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    }
    assertEquals(0, Cli.run("cp", src.toString(), "full", dst.toString(), "d").exit());
    Cli.Result r = Cli.run("cp", src.toString(), "sparse", dst.toString(), "d", "--overwrite");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("1 blocks, 0 skipped"), r.toString());
    Cli.Result info = Cli.run("info", "--chunks", dst.toString(), "d");
    // Rows 1..2, columns 1..3: chunk (0, 0) only.
    assertTrue(info.out().contains("stored chunks: 1 of 9"), info.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      float[] v = store.dataset("d").read().toFloatArray();
      assertEquals(1f, v[13]);
      assertEquals(6f, v[2 * 12 + 3]);
      assertEquals(-1f, v[0]);
      assertEquals(-1f, v[11 * 12 + 11], "the old version's 7 is gone");
      assertEquals(12 * 12 - 6, countOf(v, -1f), "every value not written is the fill value");
    }
  }

  private static int countOf(float[] values, float value) {
    int n = 0;
    for (float v : values) {
      n += v == value ? 1 : 0;
    }
    return n;
  }

  @Test
  void zarrV2ArrayWrittenByHandIsImportedAsZarrV3() throws IOException {
    // A 5 x 7 little-endian int32 array in 2 x 3 chunks, C order, no compressor; edge chunks
    // are padded to the full chunk shape as Zarr v2 requires. Value = 10 * i + j.
    Path v2 = src.resolve("legacy");
    Files.createDirectories(v2);
    Files.writeString(src.resolve(".zgroup"), "{\"zarr_format\": 2}");
    Files.writeString(
        v2.resolve(".zarray"),
        "{\"zarr_format\": 2, \"shape\": [5, 7], \"chunks\": [2, 3], \"dtype\": \"<i4\","
            + " \"compressor\": null, \"fill_value\": 0, \"order\": \"C\", \"filters\": null}");
    Files.writeString(v2.resolve(".zattrs"), "{\"source\": \"by hand\"}");
    for (int ci = 0; ci < 3; ci++) {
      for (int cj = 0; cj < 3; cj++) {
        ByteBuffer chunk = ByteBuffer.allocate(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int a = 0; a < 2; a++) {
          for (int b = 0; b < 3; b++) {
            int i = ci * 2 + a;
            int j = cj * 3 + b;
            chunk.putInt(i < 5 && j < 7 ? 10 * i + j : 0);
          }
        }
        Files.write(v2.resolve(ci + "." + cj), chunk.array());
      }
    }
    int[] expected = new int[35];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 7; j++) {
        expected[i * 7 + j] = 10 * i + j;
      }
    }

    Cli.Result info = Cli.run("info", src.toString(), "legacy", "--chunks");
    assertEquals(0, info.exit(), info.toString());
    assertTrue(info.out().contains("stored chunks: 9 of 9"), info.toString());
    assertTrue(info.out().contains("legacy/2.2"), info.toString());

    Cli.Result r =
        Cli.run("import", src.toString(), "legacy", dst.toString(), "converted", "--chunks", "4,4");
    assertEquals(0, r.exit(), r.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("converted");
      assertArrayEquals(new int[] {4, 4}, d.chunkShape());
      assertEquals(Map.of("source", "by hand"), withoutVersion(d.attributes()));
      assertFirstVersion(d.attributes());
      assertArrayEquals(expected, d.read().toIntArray());
    }
    assertTrue(Files.exists(dst.resolve("converted/zarr.json")), "written as Zarr v3");
    String meta = Files.readString(dst.resolve("converted/zarr.json"), StandardCharsets.UTF_8);
    assertTrue(meta.contains("\"zarr_format\"") && meta.contains("3"), meta);
  }

  @Test
  void existingDestinationIsReplacedOnlyWithOverwrite() {
    Cli.writeSample(src);
    assertEquals(0, Cli.run("cp", src.toString(), "values", dst.toString()).exit());
    long first;
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      first = store.dataset("values").generation();
    }
    Cli.Result again = Cli.run("cp", src.toString(), "values", dst.toString());
    assertEquals(1, again.exit(), again.toString());
    assertTrue(again.err().contains("--overwrite"), again.toString());
    Cli.Result forced =
        Cli.run("cp", src.toString(), "values", dst.toString(), "--overwrite", "--chunks", "5,5");
    assertEquals(0, forced.exit(), forced.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      assertArrayEquals(new int[] {5, 5}, store.dataset("values").chunkShape());
      assertArrayEquals(Cli.sampleValues(), store.dataset("values").read().toIntArray());
      // Published as the next version, through the same write protocol as Spark's.
      Dataset d = store.dataset("values");
      assertEquals(first + 1, d.generation());
      assertTrue(!d.publishing());
    }
  }

  @Test
  void anOverwriteLeavesOnlyTheNewChunksAndNoStagingOrLock() throws Exception {
    Cli.writeSample(src);
    assertEquals(
        0, Cli.run("cp", src.toString(), "values", dst.toString(), "--chunks", "4,4").exit());
    Cli.Result forced =
        Cli.run("cp", src.toString(), "values", dst.toString(), "--overwrite", "--chunks", "10,15");
    assertEquals(0, forced.exit(), forced.toString());
    try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(dst)) {
      List<String> keys =
          files
              .filter(Files::isRegularFile)
              .map(f -> dst.relativize(f).toString())
              .sorted()
              .toList();
      // 20x30 in 10x15 chunks: 2x2 chunk objects; none of the 4x4 version, no staging, no lock.
      assertEquals(
          List.of(
              "values/c/0/0",
              "values/c/0/1",
              "values/c/1/0",
              "values/c/1/1",
              "values/zarr.json",
              "zarr.json"),
          keys);
    }
  }

  /**
   * A copy that fails half way (a source chunk is corrupt) leaves the destination's previous
   * version readable as it was, and no staging or lock.
   */
  @Test
  void aFailedOverwriteLeavesThePreviousDestinationAndNoStagingOrLock() throws Exception {
    Cli.writeSample(src);
    assertEquals(
        0, Cli.run("cp", src.toString(), "values", dst.toString(), "--chunks", "4,4").exit());
    Map<String, String> before = files(dst);
    Files.write(src.resolve("values/c/1/1"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Cli.Result failed =
        Cli.run("cp", src.toString(), "values", dst.toString(), "--overwrite", "--chunks", "10,15");
    assertEquals(1, failed.exit(), failed.toString());
    assertEquals(before, files(dst), "destination unchanged, no staging, no lock");
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      assertArrayEquals(Cli.sampleValues(), store.dataset("values").read().toIntArray());
    }
  }

  /** Every file under {@code root} with its content. */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(f).toString(), java.util.Arrays.toString(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  @Test
  void progressBarGoesToStderrWhenAsked() {
    Cli.writeSample(src);
    Cli.Result r =
        Cli.run(
            "cp", src.toString(), "values", dst.toString(), "--progress", "--buffer-size", "1k");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.err().contains("100%"), r.toString());
    assertFalse(r.out().contains("%]"), r.toString());
    Cli.Result quiet = Cli.run("cp", src.toString(), "values", dst.toString(), "again");
    assertEquals("", quiet.err(), "no bar when stderr is not a terminal");
  }

  @Test
  void chunksOfTheWrongRankExitOne() {
    Cli.writeSample(src);
    Cli.Result r = Cli.run("cp", src.toString(), "values", dst.toString(), "--chunks", "5");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("has 1 dimensions but 'values' has 2"), r.toString());
  }

  @Test
  void malformedChunksAndSizesAreUsageErrors() {
    Cli.writeSample(src);
    assertEquals(
        2, Cli.run("cp", src.toString(), "values", dst.toString(), "--chunks", "5,x").exit());
    assertEquals(
        2, Cli.run("cp", src.toString(), "values", dst.toString(), "--chunks", "0,5").exit());
    assertEquals(
        2, Cli.run("cp", src.toString(), "values", dst.toString(), "--codec", "lz4").exit());
    assertEquals(
        2, Cli.run("cp", src.toString(), "values", dst.toString(), "--buffer-size", "lots").exit());
  }

  @Test
  void copyBlocksAreWholeDestinationChunksWithinTheBudget() {
    CopyBlocks blocks =
        new CopyBlocks(
            new long[] {100, 100}, new int[] {10, 10}, new int[] {10, 10}, 4, 4 * 10 * 100 * 3);
    assertArrayEquals(new long[] {30, 100}, blocks.blockShape());
    assertEquals(4, blocks.count());
    CopyBlocks lcm =
        new CopyBlocks(new long[] {100, 100}, new int[] {4, 4}, new int[] {6, 6}, 1, 144);
    assertArrayEquals(new long[] {12, 12}, lcm.blockShape());
  }

  private static Map<String, Object> withoutVersion(Map<String, Object> attributes) {
    Map<String, Object> user = new java.util.HashMap<>(attributes);
    user.remove("arraymorph");
    return user;
  }

  /** A first version: stable, with a generation drawn at random below 2^40. */
  private static void assertFirstVersion(Map<String, Object> attributes) {
    Map<?, ?> version = (Map<?, ?>) attributes.get("arraymorph");
    assertEquals("stable", version.get("state"));
    long generation = ((Number) version.get("generation")).longValue();
    assertTrue(generation >= 1 && generation < (1L << 40), "generation " + generation);
  }
}
