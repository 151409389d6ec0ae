package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsAndInfoCommandTest {
  @TempDir Path dir;

  @Test
  void lsShowsEveryGroupAndDatasetWithShapeDtypeChunksAndCodecs() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("ls", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("PATH"), r.toString());
    String values = line(lines, "values ");
    assertTrue(values.contains("dataset"), values);
    assertTrue(values.contains("[20, 30]"), values);
    assertTrue(values.contains("int32"), values);
    assertTrue(values.contains("[7, 8]"), values);
    assertTrue(values.contains("zstd"), values);
    String temp = line(lines, "grp/temp ");
    assertTrue(temp.contains("[5]") && temp.contains("float64") && temp.contains("[2]"), temp);
    assertTrue(line(lines, "grp ").contains("group"), r.toString());
    assertTrue(line(lines, "/ ").contains("group"), r.toString());
  }

  @Test
  void lsOfAnEmptyLocationSucceedsAndSaysSo() {
    Cli.Result r = Cli.run("ls", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.err().contains("no groups or datasets"), r.toString());
  }

  @Test
  void infoShowsShapeDtypeChunksCodecsDimensionNamesFillAndAttributes() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("info", dir.toString(), "values");
    assertEquals(0, r.exit(), r.toString());
    String out = r.out();
    assertTrue(out.matches("(?s).*shape:\\s+\\[20, 30\\].*"), out);
    assertTrue(out.matches("(?s).*dtype:\\s+int32.*"), out);
    assertTrue(out.matches("(?s).*chunks:\\s+\\[7, 8\\] \\(grid \\[3, 4\\], 12 chunks\\).*"), out);
    assertTrue(out.matches("(?s).*codecs:\\s+.*zstd.*"), out);
    assertTrue(out.matches("(?s).*dimensions:\\s+y, x.*"), out);
    assertTrue(out.matches("(?s).*fill_value:\\s+0\n.*"), out);
    assertTrue(out.contains("  units: \"K\""), out);
    assertTrue(!out.contains("stored chunks"), out);
  }

  @Test
  void infoWithChunksListsOnlyTheChunkObjectsStoredWithKeysAndSizes() {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      var d = store.createDataset("sparse", ArraySpec.of(DataType.INT16, 25, 10).chunks(10, 10));
      // Writes rows 10..19 only: the single chunk (1, 0).
      short[] ones = new short[100];
      Arrays.fill(ones, (short) 1);
      d.write(new long[] {10, 0}, NdArray.of(ones, 10, 10));
    }
    Cli.Result r = Cli.run("info", "--chunks", dir.toString(), "sparse");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("stored chunks: 1 of 3, "), r.toString());
    String row = line(r.out().lines().map(String::strip).toList(), "[1, 0] ");
    assertTrue(row.contains("sparse/c/1/0"), row);
    long size = Long.parseLong(row.substring(row.lastIndexOf(' ') + 1));
    assertEquals(200, size, row); // 10 x 10 int16, no compression
  }

  @Test
  void infoWithChunksSortsChunksByCoordinatesNotKeyText() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("info", dir.toString(), "values", "--chunks");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("stored chunks: 12 of 12"), r.toString());
    List<String> coords =
        r.out().lines().map(String::strip).filter(l -> l.startsWith("[")).toList();
    assertEquals(12, coords.size(), r.toString());
    assertTrue(coords.get(0).startsWith("[0, 0]") && coords.get(11).startsWith("[2, 3]"), r.out());
  }

  @Test
  void unknownDatasetExitsOneAndListsTheAvailableDatasets() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("info", dir.toString(), "nope");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("nope"), r.toString());
    assertTrue(r.err().contains("values") && r.err().contains("grp/temp"), r.toString());
    assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose: " + r);
    assertEquals("", r.out());
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line starting with '" + prefix + "' in " + lines));
  }
}
