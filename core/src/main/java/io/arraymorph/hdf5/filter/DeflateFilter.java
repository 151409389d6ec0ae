package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** HDF5 filter 1: zlib (deflate) streams. */
final class DeflateFilter implements ChunkFilter {
  /**
   * One Inflater per thread, reset for each chunk: a fresh one is a native zlib state and window
   * allocated and freed per chunk, which reads of many small granule chunks repeat thousands of
   * times.
   */
  private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    try {
      inflater.setInput(encoded);
      // Deflate is usually the innermost compression, so the chunk size is the right first guess.
      byte[] out = new byte[Math.max(64, Math.min(maxOutput, 1 << 20))];
      int n = 0;
      while (!inflater.finished()) {
        if (n == out.length) {
          if (out.length >= maxOutput) {
            throw new Hdf5FormatException(
                "deflate stream decodes to more than " + maxOutput + " bytes (corrupt chunk)");
          }
          out = Arrays.copyOf(out, (int) Math.min(maxOutput, 2L * out.length));
        }
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new Hdf5FormatException("deflate stream ends early (truncated or corrupt chunk)");
        }
        n += got;
      }
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      throw new Hdf5FormatException("corrupt deflate stream: " + e.getMessage(), e);
    }
  }
}
