package io.arraymorph.hdf5.filter;

import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.ZlibDecoder;
import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;
import io.jhdf.filter.LzfFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decodes stored chunks of one dataset: applies its filters in reverse pipeline order, skipping
 * those the chunk's filter mask marks as not applied, and checks the result has the chunk's size.
 */
public final class FilterPipeline {
  /**
   * A decoded chunk may carry at most this many bytes beyond the chunk (e.g. a checksum trailer).
   */
  private static final int SLACK = 4096;

  private final List<FilterSpec> specs;
  private final List<ChunkFilter> filters;

  private FilterPipeline(List<FilterSpec> specs, List<ChunkFilter> filters) {
    this.specs = List.copyOf(specs);
    this.filters = List.copyOf(filters);
  }

  /** A pipeline with no filters: stored chunks are the raw bytes. */
  public static FilterPipeline none() {
    return new FilterPipeline(List.of(), List.of());
  }

  /**
   * Builds the pipeline of a dataset.
   *
   * @param elementSize the dataset's element size, which the shuffle filter needs
   * @param datasetPath named in errors
   * @throws Hdf5UnsupportedException naming the first filter this reader cannot decode
   */
  public static FilterPipeline of(List<FilterSpec> specs, int elementSize, String datasetPath) {
    List<ChunkFilter> filters = new ArrayList<>(specs.size());
    for (FilterSpec spec : specs) {
      filters.add(filterFor(spec, elementSize, datasetPath));
    }
    return new FilterPipeline(specs, filters);
  }

  private static ChunkFilter filterFor(FilterSpec spec, int elementSize, String path) {
    int[] data = spec.clientData();
    switch (spec.id()) {
      case 1:
        return new DeflateFilter();
      case 2:
        return new ShuffleFilter(data.length > 0 ? data[0] : elementSize);
      case 3:
        return new Fletcher32Filter();
      case 4:
        return SzipFilter.of(data, path);
      case 5:
        return NbitFilter.of(data, path);
      case 6:
        return ScaleOffsetFilter.of(data, path);
      case 307:
        return new Bzip2Filter();
      case 32000:
        // h5py's lzf stores the uncompressed chunk size as the third parameter.
        return new JhdfFilter(new LzfFilter(), data, b -> data.length > 2 ? data[2] : -1);
      case 32001:
        return new BloscFilter();
      case 32004:
        return new Lz4BlockFilter();
      case 32008:
        return bitshuffle(data, elementSize, path);
      case 32015:
        return new ZstdFilter();
      default:
        if (spec.optional()) {
          // Chunks may skip an optional filter (its encoder stores a chunk it cannot shrink as
          // is, setting the filter-mask bit): those read; one that applies it is refused.
          return (encoded, maxOutput) -> {
            throw new Hdf5UnsupportedException(
                "filter id " + spec.id() + " (" + spec.name() + ") applied to a chunk",
                path,
                "chunks stored without this optional filter read; rewrite the dataset without it"
                    + " (h5repack -f NONE with the filter's plugin installed)",
                null);
          };
        }
        throw new Hdf5UnsupportedException(
            "filter id " + spec.id() + " (" + spec.name() + ")",
            path,
            "no decoder for it here: rewrite the dataset without it (h5repack -f NONE with the"
                + " filter's plugin installed)",
            null);
    }
  }

  /** Client data: filter version, bitshuffle version, element size, block size, compression. */
  private static ChunkFilter bitshuffle(int[] data, int elementSize, String path) {
    int size = data.length > 2 ? data[2] : elementSize;
    int block = data.length > 3 ? data[3] : 0;
    int compression = data.length > 4 ? data[4] : BitshuffleFilter.NONE;
    if (size <= 0 || block < 0 || block % 8 != 0) {
      throw new Hdf5FormatException(
          "bitshuffle filter of '"
              + path
              + "' has element size "
              + size
              + " and block size "
              + block
              + " (block size must be a multiple of 8)");
    }
    if (compression != BitshuffleFilter.NONE
        && compression != BitshuffleFilter.LZ4
        && compression != BitshuffleFilter.ZSTD) {
      throw new Hdf5UnsupportedException(
          "bitshuffle compression " + compression, path, "supported: 0 none, 2 lz4, 3 zstd", null);
    }
    return new BitshuffleFilter(size, block, compression);
  }

  /** The filters in pipeline (encoding) order. */
  public List<FilterSpec> specs() {
    return specs;
  }

  public boolean isEmpty() {
    return filters.isEmpty();
  }

  /**
   * Decodes one stored chunk.
   *
   * @param filterMask bit {@code i} set means filter {@code i} was not applied to this chunk
   * @param chunkBytes the decoded size every chunk must have
   * @throws Hdf5FormatException when a filter fails or the result has the wrong size
   */
  public byte[] decode(byte[] stored, int filterMask, int chunkBytes) {
    int maxOutput = (int) Math.min(Integer.MAX_VALUE - 8L, (long) chunkBytes + SLACK);
    byte[] data = stored;
    for (int i = filters.size() - 1; i >= 0; i--) {
      if ((filterMask & (1 << i)) == 0) {
        data = filters.get(i).decode(data, maxOutput);
      }
    }
    if (data.length != chunkBytes) {
      throw new Hdf5FormatException(
          "chunk decodes to "
              + data.length
              + " bytes, expected "
              + chunkBytes
              + " (corrupt chunk)");
    }
    return data;
  }

  /**
   * Decodes what a read needs of one stored chunk: bytes {@code [fromByte, toByte)} are exactly
   * those of {@link #decode(byte[], int, int)}, the others are those too or zero. When the chunk's
   * filters are deflate, optionally after shuffle and before fletcher32, the stream is inflated
   * only as far as the part needs where that is cheaper and unshuffled only over the part ({@link
   * ZlibDecoder#inflateNeeded}); any other chunk is decoded whole.
   */
  public byte[] decode(byte[] stored, int filterMask, int chunkBytes, long fromByte, long toByte) {
    List<ChunkFilter> active = new ArrayList<>(filters.size());
    for (int i = 0; i < filters.size(); i++) {
      if ((filterMask & (1 << i)) == 0) {
        active.add(filters.get(i));
      }
    }
    int at = 0;
    int shuffleSize = 1;
    if (at < active.size() && active.get(at) instanceof ShuffleFilter s) {
      shuffleSize = s.elementSize();
      at++;
    }
    if (at >= active.size() || !(active.get(at) instanceof DeflateFilter)) {
      return decode(stored, filterMask, chunkBytes);
    }
    at++;
    byte[] stream = stored;
    if (at < active.size() && active.get(at) instanceof Fletcher32Filter f) {
      // The checksum covers the whole stored chunk, which was read: it is checked as usual.
      stream = f.decode(stored, stored.length);
      at++;
    }
    if (at != active.size()) {
      return decode(stored, filterMask, chunkBytes);
    }
    byte[] data;
    try {
      int maxOutput = (int) Math.min(Integer.MAX_VALUE - 8L, (long) chunkBytes + SLACK);
      data =
          ZlibDecoder.inflateNeeded(stream, chunkBytes, maxOutput, shuffleSize, fromByte, toByte);
    } catch (CodecException e) {
      throw new Hdf5FormatException("deflate stream: " + e.getMessage() + " (corrupt chunk)", e);
    }
    return data != null ? data : decode(stored, filterMask, chunkBytes);
  }

  /** E.g. {@code shuffle -> deflate[6] -> fletcher32}, or {@code none}. */
  public String describe() {
    return specs.isEmpty()
        ? "none"
        : specs.stream().map(FilterSpec::toString).collect(Collectors.joining(" -> "));
  }

  @Override
  public String toString() {
    return describe();
  }
}
