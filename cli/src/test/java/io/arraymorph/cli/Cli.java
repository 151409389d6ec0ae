package io.arraymorph.cli;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command in-process, capturing its output, and builds test datasets. */
final class Cli {
  private Cli() {}

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(String... args) {
    return runWithEnv(Map.of(), args);
  }

  static Result runWithEnv(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ArrayMorphCli.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /**
   * Writes {@code values}: 20 x 30 int32, value {@code i * 1000 + j}, chunks 7 x 8, zstd, dims (y,
   * x), attribute units=K; and an empty group {@code grp} holding {@code grp/temp}: float64 [5]
   * with values 0.5, 1.5, ...
   */
  static void writeSample(Path dir) {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset values =
          store.createDataset(
              "values",
              ArraySpec.of(DataType.INT32, 20, 30)
                  .chunks(7, 8)
                  .compression(ArraySpec.Compression.ZSTD)
                  .dimensionNames("y", "x")
                  .attributes(Map.of("units", "K")));
      values.write(new long[] {0, 0}, NdArray.of(sampleValues(), 20, 30));
      Dataset temp = store.createDataset("grp/temp", ArraySpec.of(DataType.FLOAT64, 5).chunks(2));
      temp.write(new long[] {0}, NdArray.of(new double[] {0.5, 1.5, 2.5, 3.5, 4.5}, 5));
    }
  }

  static int[] sampleValues() {
    int[] data = new int[20 * 30];
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 30; j++) {
        data[i * 30 + j] = i * 1000 + j;
      }
    }
    return data;
  }
}
