package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.Hyperslab;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatCommandTest {
  @TempDir Path dir;

  @BeforeEach
  void writeSample() {
    Cli.writeSample(dir);
  }

  @Test
  void tablePrintsTheSliceWithRowAndColumnIndices() {
    Cli.Result r = Cli.run("cat", dir.toString(), "values", "--slice", "5:8,0:10:4");
    assertEquals(0, r.exit(), r.toString());
    List<List<String>> rows = r.out().lines().map(l -> List.of(l.trim().split("\\s+"))).toList();
    assertEquals(List.of("y\\x", "0", "4", "8"), rows.get(0));
    assertEquals(List.of("5", "5000", "5004", "5008"), rows.get(1));
    assertEquals(List.of("7", "7000", "7004", "7008"), rows.get(3));
    assertEquals(4, rows.size(), r.out());
  }

  @Test
  void csvPrintsOneLinePerElementWithItsIndices() {
    Cli.Result r =
        Cli.run("cat", dir.toString(), "values", "--slice", "18:,-2:", "--format", "csv");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        List.of("y,x,values", "18,28,18028", "18,29,18029", "19,28,19028", "19,29,19029"),
        r.out().lines().toList());
  }

  @Test
  void anIndexSelectsOneElementAndLeftOutDimensionsAreWhole() {
    Cli.Result r = Cli.run("cat", dir.toString(), "values", "-s", "-1", "-f", "csv");
    assertEquals(0, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(31, lines.size());
    assertEquals("19,0,19000", lines.get(1));
    assertEquals("19,29,19029", lines.get(30));
  }

  @Test
  void floatsPrintInTheirShortestForm() {
    Cli.Result r = Cli.run("cat", dir.toString(), "grp/temp", "--slice", "1::2");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        List.of("dim_0  temp", "1  1.5", "3  3.5"),
        r.out().lines().map(l -> l.trim().replaceAll("\\s+", "  ")).toList());
  }

  @Test
  void outOfBoundsSliceExitsOneWithAMessageNamingTheDimension() {
    Cli.Result r = Cli.run("cat", dir.toString(), "values", "--slice", "0:5,10:31");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("dimension 1 (x)"), r.toString());
    assertTrue(r.err().contains("stop 31"), r.toString());
    assertEquals("", r.out());
  }

  @Test
  void tooManyDimensionsInTheSliceExitsOne() {
    Cli.Result r = Cli.run("cat", dir.toString(), "values", "--slice", "0,0,0");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("has 3 dimensions but the array has 2"), r.toString());
  }

  @Test
  void badSliceSyntaxIsAUsageErrorWithExitTwo() {
    for (String bad : new String[] {"1:a", "1:2:3:4", "0:5,,1", "::0", "5:1:-1"}) {
      Cli.Result r = Cli.run("cat", dir.toString(), "values", "--slice", bad);
      assertEquals(2, r.exit(), bad + ": " + r);
      assertTrue(r.err().contains("Invalid slice"), bad + ": " + r);
    }
  }

  @Test
  void unknownFormatIsAUsageError() {
    Cli.Result r = Cli.run("cat", dir.toString(), "values", "--format", "xml");
    assertEquals(2, r.exit(), r.toString());
  }

  @Test
  void catOfAMissingDatasetExitsOneAndListsTheDatasets() {
    Cli.Result r = Cli.run("cat", dir.toString(), "valuez");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("values"), r.toString());
  }

  @Test
  void largeSelectionsAreReadInSlabsThatTogetherCoverItExactly() {
    Hyperslab sel =
        new Hyperslab(
            new long[] {7, 0}, new long[] {3, 1}, new long[] {3000, 1000}, new long[] {1, 1});
    List<Hyperslab> slabs = CatCommand.slabs(sel);
    assertTrue(slabs.size() > 1, "split: " + slabs.size());
    long next = 7;
    long total = 0;
    for (Hyperslab s : slabs) {
      assertTrue(s.size() <= CatCommand.SLAB_ELEMENTS, s.toString());
      assertEquals(next, s.start(0));
      next = s.start(0) + s.count(0) * 3;
      total += s.size();
    }
    assertEquals(sel.size(), total);
  }
}
