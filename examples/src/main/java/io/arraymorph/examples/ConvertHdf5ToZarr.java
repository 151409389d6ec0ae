package io.arraymorph.examples;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.StoreSettings;
import java.util.Arrays;

/**
 * Converts a dataset of an HDF5/NetCDF4 file (or any readable array) into a chunked Zarr v3 store
 * with the Java API, one slab of chunk rows at a time so memory stays bounded. ({@code
 * bin/arraymorph import} does the same from the command line.)
 *
 * <p>Arguments: {@code source dataset destination [chunks] [option=value ...]}, e.g. {@code
 * target/sample.h5 temperature target/sample.zarr 6,45,45}; options (endpoint, keys, ...) apply to
 * both stores.
 */
public final class ConvertHdf5ToZarr {
  private ConvertHdf5ToZarr() {}

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println(
          "usage: ConvertHdf5ToZarr <source> <dataset> <destination> [chunks] [option=value ...]");
      System.exit(2);
    }
    boolean hasChunks = args.length > 3 && !args[3].contains("=");
    StoreSettings settings = StoreSettings.of(Examples.options(args, hasChunks ? 4 : 3));
    try (ArrayStore source = ArrayStore.open(args[0], settings);
        ArrayStore destination = ArrayStore.open(args[2], settings)) {
      Dataset in = source.dataset(args[1]);
      int[] chunks = hasChunks ? parseChunks(args[3]) : in.chunkShape();
      String name = in.path().replaceFirst("^/", "");
      if (destination.exists(name)) {
        destination.delete(name);
      }
      Dataset out =
          destination.createDataset(
              name,
              ArraySpec.of(in.dataType(), in.shape())
                  .chunks(chunks)
                  .compression(ArraySpec.Compression.ZSTD)
                  .dimensionNames(in.dimensionNames().toArray(String[]::new))
                  .attributes(in.attributes()));
      long[] shape = in.shape();
      for (long row = 0; row < shape[0]; row += chunks[0]) {
        long[] start = new long[shape.length];
        long[] count = shape.clone();
        start[0] = row;
        count[0] = Math.min(chunks[0], shape[0] - row);
        NdArray slab = in.read(start, count);
        out.write(start, slab);
      }
      // PUTs, not objects: each chunk is staged, then published (and metadata is written too).
      System.out.println(
          "Converted "
              + args[0]
              + " "
              + in.path()
              + " "
              + Arrays.toString(shape)
              + " ("
              + in.codecDescription()
              + ") to "
              + args[2]
              + "/"
              + name
              + " in chunks "
              + Arrays.toString(chunks)
              + " (zstd); PUT requests: "
              + destination.stats().puts());
    }
  }

  private static int[] parseChunks(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }
}
