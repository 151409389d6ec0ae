package io.arraymorph.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading decompressed streams without trusting their declared or actual size. */
final class Streams {
  private Streams() {}

  static byte[] readBounded(InputStream in, int limit, String codec) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 1 << 20));
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > limit) {
        throw new CodecException(
            codec + " data decodes to more than the " + limit + " bytes a chunk can hold");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
