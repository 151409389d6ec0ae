package io.arraymorph.cli;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.store.Keys;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code cp} and {@code rechunk} share: the source and destination datasets and the
 * destination's codec. {@code --chunks} stays with each command, since {@code rechunk} requires it
 * and {@code cp} defaults to the source's chunks; its converter lives here.
 */
final class CopyArguments {
  /** Chunk compression of the destination. */
  enum Codec {
    zstd,
    gzip,
    none
  }

  @Parameters(index = "0", paramLabel = "SRC", description = "Source location (path or URI).")
  String source;

  @Parameters(index = "1", paramLabel = "DATASET", description = "Source dataset path.")
  String dataset;

  @Parameters(
      index = "2",
      paramLabel = "DST",
      description = "Destination location (path or URI), written as Zarr v3.")
  String destination;

  @Parameters(
      index = "3",
      arity = "0..1",
      paramLabel = "DST_DATASET",
      description = "Destination dataset path (default: the source dataset's path).")
  String destinationDataset;

  @Option(
      names = "--codec",
      paramLabel = "CODEC",
      description = "Destination compression: zstd (default), gzip or none.")
  Codec codec = Codec.zstd;

  @Option(
      names = "--level",
      paramLabel = "N",
      description = "Compression level (default: the codec's default).")
  int level = -1;

  @Option(names = "--overwrite", description = "Replace the destination dataset if it exists.")
  boolean overwrite;

  /** The destination dataset's path: DST_DATASET, else the source dataset's. */
  String target() {
    return Keys.join(destinationDataset != null ? destinationDataset : dataset);
  }

  ArraySpec.Compression compression() {
    return switch (codec) {
      case zstd -> ArraySpec.Compression.ZSTD;
      case gzip -> ArraySpec.Compression.GZIP;
      case none -> ArraySpec.Compression.NONE;
    };
  }

  /** A chunk shape given on the command line. */
  record ChunkShape(int[] extents) {}

  /** Parses {@code 10,10} into a chunk shape. */
  static final class ChunksConverter implements ITypeConverter<ChunkShape> {
    @Override
    public ChunkShape convert(String value) {
      String[] parts = value.split(",", -1);
      int[] out = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          out[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new TypeConversionException(
              "Invalid chunk shape '" + value + "': expected positive integers like 10,10");
        }
        if (out[i] < 1) {
          throw new TypeConversionException(
              "Invalid chunk shape '" + value + "': chunk extents must be at least 1");
        }
      }
      return new ChunkShape(out);
    }
  }

  /** Parses a byte size: {@code 65536}, {@code 512k}, {@code 64M}, {@code 1g} (binary units). */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
      long unit = 1;
      if (!v.isEmpty() && "kmg".indexOf(v.charAt(v.length() - 1)) >= 0) {
        unit = 1L << (10 * ("kmg".indexOf(v.charAt(v.length() - 1)) + 1));
        v = v.substring(0, v.length() - 1);
      }
      try {
        long n = Long.parseLong(v.trim()) * unit;
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException(
          "Invalid size '" + value + "': expected a positive number of bytes like 64M or 65536");
    }
  }
}
