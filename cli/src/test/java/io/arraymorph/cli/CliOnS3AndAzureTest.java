package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's command-line examples on S3 (S3Proxy) and Azure (Azurite): {@code cp} to the store
 * with {@code --option}s, then {@code ls}, {@code info --chunks} and {@code cat} of the copy, and
 * {@code cp} back; values are checked against the formula the sample was written with.
 */
@StartsServers
class CliOnS3AndAzureTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"s3", "azure"})
  void copyListInfoAndCatWorkOnTheStoreWithOptions(String kind) {
    Cli.writeSample(dir.resolve("local.zarr"));
    String remote;
    Map<String, String> settings;
    if (kind.equals("s3")) {
      S3ProxyServer s3 = S3ProxyServer.get();
      String bucket = S3ProxyServer.uniqueBucketName("cli");
      s3.createBucket(bucket);
      settings = s3.settings(bucket);
      remote = "s3://" + bucket + "/demo.zarr";
    } else {
      AzuriteServer azure = AzuriteServer.get();
      String container = AzuriteServer.uniqueContainerName("cli");
      azure.createContainer(container);
      settings = azure.settings(container);
      remote = "az://" + container + "/demo.zarr";
    }
    List<String> options = new ArrayList<>();
    settings.forEach((k, v) -> options.addAll(List.of("--option", k + "=" + v)));

    Cli.Result cp =
        run(
            options,
            "cp",
            dir.resolve("local.zarr").toString(),
            "values",
            remote,
            "--chunks",
            "10,10");
    assertEquals(0, cp.exit(), cp.toString());

    Cli.Result ls = run(options, "ls", remote);
    assertEquals(0, ls.exit(), ls.toString());
    assertTrue(ls.out().contains("[20, 30]") && ls.out().contains("[10, 10]"), ls.toString());

    Cli.Result info = run(options, "info", remote, "values", "--chunks");
    assertEquals(0, info.exit(), info.toString());
    assertTrue(info.out().contains("stored chunks: 6 of 6"), info.toString());

    Cli.Result cat =
        run(options, "cat", remote, "values", "--slice", "5:15,0:10:2", "--format", "csv");
    assertEquals(0, cat.exit(), cat.toString());
    List<String> lines = cat.out().lines().toList();
    assertEquals("y,x,values", lines.get(0));
    assertEquals(1 + 10 * 5, lines.size(), cat.toString());
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      long y = Long.parseLong(f[0]);
      long x = Long.parseLong(f[1]);
      assertTrue(y >= 5 && y < 15 && x % 2 == 0 && x < 10, line);
      assertEquals(y * 1000 + x, Long.parseLong(f[2]), line);
    }

    Path back = dir.resolve("back.zarr");
    Cli.Result down = run(options, "cp", remote, "values", back.toString());
    assertEquals(0, down.exit(), down.toString());
    try (ArrayStore store = ArrayStore.open(back.toString())) {
      assertArrayEquals(Cli.sampleValues(), store.dataset("values").read().toIntArray());
    }
  }

  private static Cli.Result run(List<String> options, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(options);
    return Cli.run(all.toArray(String[]::new));
  }
}
