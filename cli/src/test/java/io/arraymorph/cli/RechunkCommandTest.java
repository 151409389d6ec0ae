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
