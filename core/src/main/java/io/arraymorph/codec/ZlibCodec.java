package io.arraymorph.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/** The zlib (RFC 1950) compressor of Zarr v2 and numcodecs, with the JDK's zlib. */
public final class ZlibCodec implements BytesCodec {
  /** One Inflater per thread, reset for each chunk (an Inflater is not thread-safe). */
  private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

  private final int level;

  public ZlibCodec(int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("zlib level must be 0-9, not " + level);
    }
    this.level = level;
  }

  @Override
  public String name() {
    return "zlib";
  }

  @Override
  public byte[] encode(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    Deflater deflater = new Deflater(level);
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater)) {
      z.write(data);
    } catch (IOException e) {
      throw new CodecException("zlib compression failed", e);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  /**
   * Inflates the whole input in one call into a buffer sized for the chunk, with this thread's
   * reused {@link Inflater}: a fresh Inflater per chunk (native state and a 32 KiB window) and
   * {@code InflaterInputStream}'s 512-byte reads cost as much as the inflating itself on small
   * chunks (a point time series inflates thousands of them).
   */
  @Override
  public byte[] decode(byte[] data, int maxDecodedSize) {
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    inflater.setInput(data);
    // Most chunks decode to the caller's bound (the chunk size) or less: one buffer, grown
    // only for data that compresses better than the guess.
    long guess = Math.max(64L * 1024, 4L * data.length);
    byte[] out = new byte[(int) Math.min(maxDecodedSize, guess)];
    int n = 0;
    try {
      while (!inflater.finished()) {
        if (n == out.length) {
          if (out.length >= maxDecodedSize) {
            if (probeMore(inflater)) {
              throw new CodecException(
                  "zlib data decodes to more than the "
                      + maxDecodedSize
                      + " bytes a chunk can hold");
            }
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(maxDecodedSize, 2L * out.length));
        }
        int got = inflater.inflate(out, n, out.length - n);
        n += got;
        if (got == 0 && !inflater.finished()) {
          throw new CodecException(
              "Corrupt zlib data: "
                  + (inflater.needsDictionary()
                      ? "it needs a preset dictionary"
                      : "unexpected end of the stream"));
        }
      }
    } catch (DataFormatException e) {
      throw new CodecException("Corrupt zlib data: " + e.getMessage(), e);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Whether a stream that filled the caller's bound still has output left. */
  private static boolean probeMore(Inflater inflater) throws DataFormatException {
    return !inflater.finished() && inflater.inflate(new byte[1]) > 0;
  }

  @Override
  public Map<String, Object> configuration() {
    return Map.of("level", level);
  }
}
