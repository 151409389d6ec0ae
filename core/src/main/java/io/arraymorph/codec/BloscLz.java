package io.arraymorph.codec;

import java.util.Arrays;

/**
 * Decompressor of BloscLZ, Blosc's own LZ77 codec (format version 1, FastLZ-like), written from the
 * public format: no Java library implements it. A stream is a sequence of instructions, each
 * starting with a control byte {@code c}:
 *
 * <ul>
 *   <li>{@code c < 32}: a literal run of {@code c + 1} bytes that follow (the first control byte
 *       keeps only its low 5 bits: its high bits mark the stream as BloscLZ);
 *   <li>otherwise a match of length {@code (c >> 5) + 2}, extended by following bytes (each added,
 *       continuing while a byte is 255) when {@code c >> 5 == 7}, then a distance byte {@code d}:
 *       the match copies from {@code ((c & 31) << 8) + d + 1} bytes back, or, when the 13-bit
 *       distance is all ones, from {@code 8192 +} a 16-bit big-endian distance that follows.
 * </ul>
 *
 * Matches may overlap their output (repeating a run). The bounds checks reject exactly the streams
 * c-blosc's decoder rejects, including a stream that ends with a match.
 */
final class BloscLz {
  private static final int MAX_DISTANCE = 8191;

  private BloscLz() {}

  /**
   * Decompresses {@code len} bytes at {@code in[off..]} into {@code out[outOff..]}, writing at most
   * {@code maxOut} bytes.
   *
   * @return the number of bytes written, or -1 when the stream is corrupt or would overflow
   */
  static int decompress(byte[] in, int off, int len, byte[] out, int outOff, int maxOut) {
    if (len == 0) {
      return 0;
    }
    int ip = off;
    int ipLimit = off + len;
    int op = outOff;
    int opLimit = outOff + maxOut;
    int ctrl = in[ip++] & 31;
    while (true) {
      if (ctrl >= 32) {
        int length = (ctrl >>> 5) - 1;
        int distance = (ctrl & 31) << 8;
        int code;
        if (length == 6) {
          do {
            if (ip + 1 >= ipLimit) {
              return -1;
            }
            code = in[ip++] & 0xff;
            length += code;
            if (length > maxOut) {
              return -1;
            }
          } while (code == 255);
        } else if (ip + 1 >= ipLimit) {
          return -1;
        }
        code = in[ip++] & 0xff;
        length += 3;
        if (code == 255 && distance == (31 << 8)) {
          if (ip + 1 >= ipLimit) {
            return -1;
          }
          distance = ((in[ip] & 0xff) << 8 | (in[ip + 1] & 0xff)) + MAX_DISTANCE;
          ip += 2;
        } else {
          distance += code;
        }
        int ref = op - distance - 1;
        if (length > opLimit - op || ref < outOff) {
          return -1;
        }
        if (ip >= ipLimit) {
          break; // as c-blosc: a stream never ends with a match, one that does is cut short
        }
        ctrl = in[ip++] & 0xff;
        if (distance == 0) {
          Arrays.fill(out, op, op + length, out[ref]);
        } else if (op - ref >= length) {
          System.arraycopy(out, ref, out, op, length);
        } else {
          for (int i = 0; i < length; i++) {
            out[op + i] = out[ref + i]; // overlapping: repeats the last distance + 1 bytes
          }
        }
        op += length;
      } else {
        int run = ctrl + 1;
        if (run > opLimit - op || run > ipLimit - ip) {
          return -1;
        }
        System.arraycopy(in, ip, out, op, run);
        op += run;
        ip += run;
        if (ip >= ipLimit) {
          break;
        }
        ctrl = in[ip++] & 0xff;
      }
    }
    return op - outOff;
  }
}
