package io.arraymorph.codec;

import com.fulcrumgenomics.jlibdeflate.LibdeflateDecompressor;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates zlib (RFC 1950) streams: the one place every zlib chunk is decoded (Zarr's and
 * numcodecs' {@code zlib}, HDF5's deflate filter, kerchunk and manifest references).
 *
 * <p>A whole stream is inflated with libdeflate (jlibdeflate's bundled natives) where it loads, and
 * with the JDK's {@link Inflater} elsewhere: on the 65 KB float fields of CF granules libdeflate
 * took about 130 us a chunk against the JDK's 210 us (measured on this project's 2,000-granule
 * benchmark collection), and a point series inflates thousands of them. Both check the stream's
 * Adler-32 and refuse output beyond the caller's bound, so a zip bomb cannot exhaust memory.
 */
public final class ZlibDecoder {
  /** Whole streams larger than this are inflated by the JDK into a growing buffer. */
  private static final int LIBDEFLATE_MAX_OUTPUT = 64 << 20;

  /** One JDK Inflater per thread, reset for each chunk (an Inflater is not thread-safe). */
  private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

  /** One libdeflate decompressor per thread, or null per thread where the natives do not load. */
  private static final ThreadLocal<LibdeflateDecompressor> LIBDEFLATE =
      ThreadLocal.withInitial(ZlibDecoder::newLibdeflate);

  /**
   * Per thread, libdeflate's output buffer for chunks up to {@link #SCRATCH_MAX}: the result is
   * copied out at its exact size, one allocation a chunk.
   */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

  private static final int SCRATCH_MAX = 4 << 20;

  private static final boolean LIBDEFLATE_LOADS = newLibdeflate() != null;

  private ZlibDecoder() {}

  private static LibdeflateDecompressor newLibdeflate() {
    try {
      return new LibdeflateDecompressor();
    } catch (LinkageError | RuntimeException e) {
      // No natives for this platform (or no temp dir to unpack them): the JDK inflates instead.
      return null;
    }
  }

  /** Whether whole streams are inflated by libdeflate in this JVM (else by the JDK). */
  public static boolean usesLibdeflate() {
    return LIBDEFLATE_LOADS;
  }

  /**
   * Inflates a whole zlib stream, checking its Adler-32.
   *
   * @param maxOutput the most bytes a valid stream decodes to
   * @throws CodecException when the stream is corrupt, truncated, needs a preset dictionary or
   *     decodes to more than {@code maxOutput} bytes
   */
  public static byte[] inflate(byte[] data, int maxOutput) {
    Inflated out = inflateToScratch(data, maxOutput);
    return out.shared() ? Arrays.copyOf(out.bytes(), out.length()) : out.bytes();
  }

  /**
   * An inflated stream: the first {@code length} bytes of {@code bytes}. When {@code shared},
   * {@code bytes} is this thread's scratch buffer, valid only until the thread's next inflation
   * (copy out of it); otherwise it is a new array of exactly {@code length} bytes.
   */
  private record Inflated(byte[] bytes, int length, boolean shared) {}

  /** Inflates a whole stream into this thread's scratch buffer where libdeflate loads. */
  private static Inflated inflateToScratch(byte[] data, int maxOutput) {
    return inflateToScratch(data, data.length, maxOutput);
  }

  /** Inflates the stream {@code data[0, length)}, as {@link #inflateToScratch(byte[], int)}. */
  private static Inflated inflateToScratch(byte[] data, int length, int maxOutput) {
    LibdeflateDecompressor libdeflate =
        maxOutput <= LIBDEFLATE_MAX_OUTPUT ? LIBDEFLATE.get() : null;
    if (libdeflate == null) {
      byte[] out = withJdk(data, length, maxOutput);
      return new Inflated(out, out.length, false);
    }
    return libdeflateToScratch(libdeflate, data, length, maxOutput);
  }

  /** Inflates a whole stream with the JDK's {@link Inflater} (package-private for tests). */
  static byte[] withJdk(byte[] data, int maxOutput) {
    return withJdk(data, data.length, maxOutput);
  }

  private static byte[] withJdk(byte[] data, int length, int maxOutput) {
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    inflater.setInput(data, 0, length);
    // Most chunks decode to the caller's bound (the chunk size) or less: one buffer, grown only
    // for data that compresses better than the guess.
    long guess = Math.max(64L * 1024, 4L * length);
    byte[] out = new byte[(int) Math.min(maxOutput, guess)];
    int n = 0;
    try {
      while (!inflater.finished()) {
        if (n == out.length) {
          if (out.length >= maxOutput) {
            if (probeMore(inflater)) {
              throw tooLarge(maxOutput);
            }
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(maxOutput, 2L * out.length));
        }
        int got = inflater.inflate(out, n, out.length - n);
        n += got;
        if (got == 0 && !inflater.finished()) {
          throw stalled(inflater);
        }
      }
    } catch (DataFormatException e) {
      throw new CodecException("Corrupt zlib data: " + e.getMessage(), e);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Inflates a whole stream with libdeflate (package-private for tests). */
  static byte[] withLibdeflate(LibdeflateDecompressor libdeflate, byte[] data, int maxOutput) {
    Inflated out = libdeflateToScratch(libdeflate, data, data.length, maxOutput);
    return Arrays.copyOf(out.bytes(), out.length());
  }

  private static Inflated libdeflateToScratch(
      LibdeflateDecompressor libdeflate, byte[] data, int length, int maxOutput) {
    // libdeflate inflates in one call into a buffer that must hold the whole output: one byte
    // more than the bound tells a stream that decodes to too much from one that fills it.
    int capacity = maxOutput == Integer.MAX_VALUE ? maxOutput : maxOutput + 1;
    byte[] out = scratch(capacity);
    int n;
    try {
      n = libdeflate.zlibDecompressEx(data, 0, length, out, 0, capacity).outputBytesProduced();
    } catch (RuntimeException e) {
      // libdeflate says only "corrupt" or "too small": the JDK's inflater names the problem (and
      // is the reference should the two ever disagree).
      byte[] jdk = withJdk(data, length, maxOutput);
      return new Inflated(jdk, jdk.length, false);
    }
    if (n > maxOutput) {
      throw tooLarge(maxOutput);
    }
    return new Inflated(out, n, true);
  }

  /** This thread's output buffer of at least {@code capacity} bytes (a new one when large). */
  private static byte[] scratch(int capacity) {
    if (capacity > SCRATCH_MAX) {
      return new byte[capacity];
    }
    byte[] b = SCRATCH.get();
    if (b.length < capacity) {
      b = new byte[Math.max(capacity, Math.min(SCRATCH_MAX, 2 * b.length))];
      SCRATCH.set(b);
    }
    return b;
  }

  /**
   * Decodes the part of a chunk that a read needs, where the chunk is stored as one zlib stream,
   * byte-shuffled or not: bytes {@code [fromByte, toByte)} of the result are exactly those of the
   * whole decoding, every other byte is either that too or zero. The stream is always inflated
   * whole, so its length and Adler-32 are checked (inflating only a prefix would skip the checksum
   * and could return a flipped bit as data); a shuffled chunk is unshuffled only over the part,
   * which is where a point read of a shuffled chunk spends its time. Shuffled, byte {@code j} of
   * element {@code i} is stored at {@code j * n + i}.
   *
   * @param chunkBytes the decoded chunk's size
   * @param maxOutput the most bytes a valid stream decodes to (at least {@code chunkBytes})
   * @param shuffleSize the shuffle's element size, 1 for an unshuffled chunk
   * @return the chunk, or null when {@code chunkBytes} is not a multiple of {@code shuffleSize}
   *     (the caller decodes it whole)
   * @throws CodecException when the stream is corrupt or does not decode to the chunk's size
   */
  public static byte[] inflateNeeded(
      byte[] stream, int chunkBytes, int maxOutput, int shuffleSize, long fromByte, long toByte) {
    if (shuffleSize < 1 || chunkBytes % shuffleSize != 0) {
      return null;
    }
    int elements = chunkBytes / shuffleSize;
    int from = (int) Math.max(0, Math.min(elements, fromByte / shuffleSize));
    int to = (int) Math.max(from, Math.min(elements, (toByte + shuffleSize - 1) / shuffleSize));
    // Inflated into this thread's scratch buffer and copied out once, only over the part: a point
    // series decodes thousands of 65 KB fields, and a second whole copy of each was over a third
    // of the query's allocation (and of its garbage collection).
    Inflated inflated = inflateToScratch(stream, maxOutput);
    byte[] head = inflated.bytes();
    if (inflated.length() != chunkBytes) {
      throw shortChunk(inflated.length(), chunkBytes);
    }
    if (shuffleSize == 1 && !inflated.shared()) {
      return head;
    }
    byte[] data = new byte[chunkBytes];
    if (shuffleSize == 1) {
      System.arraycopy(head, from, data, from, to - from);
      return data;
    }
    if (from == 0 && to == elements) {
      ByteShuffle.unshuffle(head, 0, data, 0, chunkBytes, shuffleSize);
      return data;
    }
    for (int i = from, dst = from * shuffleSize; i < to; i++) {
      for (int b = 0, src = i; b < shuffleSize; b++, src += elements) {
        data[dst++] = head[src];
      }
    }
    return data;
  }

  /**
   * Decodes exactly bytes {@code [fromByte, toByte)} of a chunk stored as one zlib stream,
   * byte-shuffled or not, into an array of {@code toByte - fromByte} bytes: what a read that needs
   * one element of a large chunk keeps, with no chunk-sized allocation. The stream ({@code
   * stream[0, streamLength)}, which may be a reused buffer) is inflated whole into this thread's
   * scratch buffer, so its length and Adler-32 are checked as in {@link #inflateNeeded}.
   *
   * @param chunkBytes the decoded chunk's size
   * @param maxOutput the most bytes a valid stream decodes to (at least {@code chunkBytes})
   * @param shuffleSize the shuffle's element size, 1 for an unshuffled chunk
   * @return the part, or null when {@code chunkBytes} is not a multiple of {@code shuffleSize} (the
   *     caller decodes the chunk whole)
   * @throws CodecException when the stream is corrupt or does not decode to the chunk's size
   * @throws IllegalArgumentException when the part is not inside the chunk
   */
  public static byte[] inflatePart(
      byte[] stream,
      int streamLength,
      int chunkBytes,
      int maxOutput,
      int shuffleSize,
      int fromByte,
      int toByte) {
    if (fromByte < 0 || toByte < fromByte || toByte > chunkBytes) {
      throw new IllegalArgumentException(
          "Bytes [" + fromByte + ", " + toByte + ") are not inside a chunk of " + chunkBytes);
    }
    if (shuffleSize < 1 || chunkBytes % shuffleSize != 0) {
      return null;
    }
    Inflated inflated = inflateToScratch(stream, streamLength, maxOutput);
    if (inflated.length() != chunkBytes) {
      throw shortChunk(inflated.length(), chunkBytes);
    }
    byte[] head = inflated.bytes();
    byte[] part = new byte[toByte - fromByte];
    if (shuffleSize == 1) {
      System.arraycopy(head, fromByte, part, 0, part.length);
      return part;
    }
    if (fromByte == 0 && toByte == chunkBytes) {
      ByteShuffle.unshuffle(head, 0, part, 0, chunkBytes, shuffleSize);
      return part;
    }
    // Shuffled, byte j of element i is stored at j * elements + i.
    int elements = chunkBytes / shuffleSize;
    if (fromByte % shuffleSize == 0 && toByte % shuffleSize == 0) {
      for (int i = fromByte / shuffleSize, dst = 0; dst < part.length; i++) {
        for (int b = 0, src = i; b < shuffleSize; b++, src += elements) {
          part[dst++] = head[src];
        }
      }
      return part;
    }
    for (int p = fromByte; p < toByte; p++) {
      part[p - fromByte] = head[(p % shuffleSize) * elements + p / shuffleSize];
    }
    return part;
  }

  /**
   * Inflates a whole chunk stored as one zlib stream in {@code stream[0, streamLength)} into a
   * buffer it lends: the chunk is the buffer's first {@code chunkBytes} bytes, valid only until
   * this thread's next inflation (the thread's scratch buffer where libdeflate loads). For a caller
   * that copies the bytes elsewhere at once: no allocation and no copy of its own per chunk. The
   * stream's length and Adler-32 are checked as in {@link #inflatePart}.
   *
   * @param maxOutput the most bytes a valid stream decodes to (at least {@code chunkBytes})
   * @throws CodecException when the stream is corrupt or does not decode to the chunk's size
   */
  public static byte[] inflateLent(byte[] stream, int streamLength, int chunkBytes, int maxOutput) {
    Inflated inflated = inflateToScratch(stream, streamLength, maxOutput);
    if (inflated.length() != chunkBytes) {
      throw shortChunk(inflated.length(), chunkBytes);
    }
    return inflated.bytes();
  }

  private static CodecException shortChunk(int got, int chunkBytes) {
    return new CodecException(
        "zlib data decodes to " + got + " bytes where the chunk has " + chunkBytes);
  }

  /** Whether a stream that filled the caller's bound still has output left. */
  private static boolean probeMore(Inflater inflater) throws DataFormatException {
    return !inflater.finished() && inflater.inflate(new byte[1]) > 0;
  }

  private static CodecException tooLarge(int maxOutput) {
    return new CodecException(
        "zlib data decodes to more than the " + maxOutput + " bytes a chunk can hold");
  }

  private static CodecException stalled(Inflater inflater) {
    return new CodecException(
        "Corrupt zlib data: "
            + (inflater.needsDictionary()
                ? "it needs a preset dictionary"
                : "unexpected end of the stream"));
  }
}
