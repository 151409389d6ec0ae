package io.arraymorph.bench;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.NdArray;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The granule benchmark's point time series through the Java API, no Spark: {@code
 * ManifestPointApiProbe <manifest dir> <runs> <lat index> <lon index>}, e.g. {@code
 * benchmarks/target/granules/2000.manifest 8 22 90} (lat 45, lon 1). Each run opens the manifest,
 * reads {@code tas[:, lat, lon]} with {@link Dataset#read(long[], long[])} and prints the wall
 * time, the process CPU time and the values' sum (to compare with netCDF4-python's).
 */
public final class ManifestPointApiProbe {
  private ManifestPointApiProbe() {}

  public static void main(String[] args) {
    int runs = Integer.parseInt(args[1]);
    long lat = Long.parseLong(args[2]);
    long lon = Long.parseLong(args[3]);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < runs; i++) {
      long cpu = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      Dataset tas = ArrayStore.open(args[0]).dataset("tas");
      NdArray values = tas.read(new long[] {0, lat, lon}, new long[] {tas.shape()[0], 1, 1});
      double wall = (System.nanoTime() - t0) / 1e9;
      double used = (os.getProcessCpuTime() - cpu) / 1e9;
      double sum = 0;
      for (int k = 0; k < values.size(); k++) {
        sum += values.getDouble(k);
      }
      System.out.printf(
          Locale.ROOT,
          "run %d: wall %.3f s, process CPU %.3f s, %d values, sum %.9g%n",
          i,
          wall,
          used,
          values.size(),
          sum);
    }
  }
}
