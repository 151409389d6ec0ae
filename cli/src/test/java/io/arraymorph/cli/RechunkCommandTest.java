package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.zarr.ZarrDataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RechunkCommandTest {
  @TempDir Path src;
  @TempDir Path dst;

  /** cp and rechunk take the same positional arguments and codec options, one declaration. */
  @Test
  void cpAndRechunkShowTheSameArgumentsInTheirHelp() {
    for (String command : new String[] {"cp", "rechunk"}) {
      Cli.Result help = Cli.run(command, "--help");
      assertEquals(0, help.exit(), help.toString());
      String text = help.out().replaceAll("\\s+", " "); // picocli wraps lines
      for (String shared :
          new String[] {
            "SRC DATASET DST [DST_DATASET]",
            "Source dataset path.",
            "Destination location (path or URI), written as Zarr v3.",
            "--codec=CODEC",
            "--level=N",
            "--overwrite",
            "--chunks=N,N,..."
          }) {
        assertTrue(text.contains(shared), command + " help lacks " + shared + "\n" + help);
      }
    }
    assertTrue(Cli.run("cp", "--help").out().contains("[--chunks=N,N,...]"), "optional for cp");
    Cli.Result missing = Cli.run("rechunk", src.toString(), "values", dst.toString());
    assertEquals(2, missing.exit(), missing.toString());
    assertTrue(missing.err().contains("--chunks"), missing.toString());
  }

  @Test
  void rechunkIntoShardsThroughSpilledPiecesKeepsEveryValue() {
    Cli.writeSample(src);
    Cli.Result r =
        Cli.run(
            "rechunk",
            src.toString(),
            "values",
            dst.toString(),
            "tall",
            "--chunks",
            "20,3",
            "--shards",
            "20,6",
            "--memory",
            "1k", // smaller than the array: pieces go through spill files
            "--threads",
            "2");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("pieces moved between tasks"), r.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("tall");
      assertArrayEquals(new long[] {20, 30}, d.shape());
      ZarrDataset z = (ZarrDataset) d;
      assertArrayEquals(new int[] {20, 6}, z.metadata().chunkShape());
      assertArrayEquals(new int[] {20, 3}, z.metadata().codecs().sharding().innerShape());
      assertArrayEquals(Cli.sampleValues(), d.read().toIntArray());
    }
  }

  @Test
  void rechunkInOneStageKeepsEveryValueAndSaysSo() {
    Cli.writeSample(src);
    Cli.Result r =
        Cli.run(
            "rechunk",
            src.toString(),
            "values",
            dst.toString(),
            "tall",
            "--chunks",
            "20,3",
            "--memory",
            "1k", // regions of a few target chunks, each reading the source chunks it overlaps
            "--plan",
            "one_stage",
            "--threads",
            "2");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("no pieces moved"), r.toString());
    assertTrue(r.out().contains("Plan: one stage"), r.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("tall");
      assertArrayEquals(new int[] {20, 3}, d.chunkShape());
      assertArrayEquals(Cli.sampleValues(), d.read().toIntArray());
    }
    Cli.Result bad =
        Cli.run(
            "rechunk",
            src.toString(),
            "values",
            dst.toString(),
            "other",
            "--chunks",
            "20,3",
            "--plan",
            "three_stage");
    assertEquals(ArrayMorphCli.EXIT_ERROR, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("--plan must be"), bad.toString());
  }

  @Test
  void anExistingTargetIsRefusedUnlessOverwrite() {
    Cli.writeSample(src);
    String[] args = {"rechunk", src.toString(), "values", dst.toString(), "--chunks", "5,5"};
    assertEquals(0, Cli.run(args).exit());
    Cli.Result again = Cli.run(args);
    assertEquals(ArrayMorphCli.EXIT_ERROR, again.exit(), again.toString());
    assertTrue(again.err().contains("already exists"), again.toString());
    Cli.Result replaced =
        Cli.run(
            "rechunk",
            src.toString(),
            "values",
            dst.toString(),
            "--chunks",
            "10,30",
            "--overwrite");
    assertEquals(0, replaced.exit(), replaced.toString());
    assertTrue(replaced.out().contains("no pieces moved"), replaced.toString());
    try (ArrayStore store = ArrayStore.open(dst.toString())) {
      Dataset d = store.dataset("values");
      assertArrayEquals(new int[] {10, 30}, d.chunkShape());
      assertArrayEquals(Cli.sampleValues(), d.read().toIntArray());
    }
  }
}
