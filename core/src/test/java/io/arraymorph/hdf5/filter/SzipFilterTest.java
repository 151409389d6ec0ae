package io.arraymorph.hdf5.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each code option of the CCSDS 121.0-B stream inside szip, on chunks built bit by bit from the
 * standard's description, and refusal of damaged chunks. (Chunks libhdf5 wrote through libaec are
 * compared with h5py in the HDF5 fixture and real-file corpus tests.)
 */
class SzipFilterTest {
  private static final int EC = 4 | 128;
  private static final int NN = 32 | 128;
  private static final int MSB = 16;

  private static FilterPipeline szip(int mask, int pixelsPerBlock, int bits, int perScanline) {
    return FilterPipeline.of(
        List.of(
            new FilterSpec(4, "szip", false, new int[] {mask, pixelsPerBlock, bits, perScanline})),
        bits / 8,
        "/d");
  }

  /** Writes bits most significant first, after libhdf5's 4-byte little-endian size header. */
  private static final class Stream {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int acc;
    private int count;

    Stream(int decodedBytes) {
      for (int i = 0; i < 4; i++) {
        out.write(decodedBytes >>> (8 * i));
      }
    }

    Stream bits(long value, int n) {
      for (int i = n - 1; i >= 0; i--) {
        acc = acc << 1 | (int) (value >>> i & 1);
        if (++count == 8) {
          out.write(acc);
          acc = 0;
          count = 0;
        }
      }
      return this;
    }

    /** A fundamental sequence: {@code n} zeros and a one. */
    Stream fs(int n) {
      for (int i = 0; i < n; i++) {
        bits(0, 1);
      }
      return bits(1, 1);
    }

    byte[] bytes() {
      if (count > 0) {
        bits(0, 8 - count);
      }
      return out.toByteArray();
    }
  }

  @Test
  void storedWholeBlocksComeBackAsWritten() {
    Stream s = new Stream(8).bits(0b111, 3);
    for (int v = 1; v <= 8; v++) {
      s.bits(v * 30L, 8);
    }
    byte[] out = szip(EC, 8, 8, 8).decode(s.bytes(), 0, 8);
    assertArrayEquals(
        new byte[] {30, 60, 90, 120, (byte) 150, (byte) 180, (byte) 210, (byte) 240}, out);
  }

  @Test
  void splitSamplesJoinHighPartsAndLowBitsInByteOrder() {
    int[] values = {5, 0, 3, 12, 7, 1, 2, 1000};
    int k = 2;
    Stream s = new Stream(16).bits(k + 1, 4); // 16-bit samples: 4-bit option id
    for (int v : values) {
      s.fs(v >>> k);
    }
    for (int v : values) {
      s.bits(v & 3, k);
    }
    byte[] chunk = s.bytes();
    byte[] msb = szip(EC | MSB, 8, 16, 8).decode(chunk, 0, 16);
    byte[] lsb = szip(EC, 8, 16, 8).decode(chunk, 0, 16);
    for (int i = 0; i < values.length; i++) {
      assertTrue(
          (msb[2 * i] & 0xff) << 8 == (values[i] & 0xff00)
              && (msb[2 * i + 1] & 0xff) == (values[i] & 0xff));
      assertTrue(
          (lsb[2 * i + 1] & 0xff) << 8 == (values[i] & 0xff00)
              && (lsb[2 * i] & 0xff) == (values[i] & 0xff));
    }
  }

  @Test
  void nearestNeighbourPredictionIsUndoneFromTheReferenceSample() {
    // 100 is the reference; each other value is coded as its mapped difference from the previous.
    int[] mapped = {2, 3, 0, 250, 10, 255, 7};
    Stream s = new Stream(8).bits(1, 3).bits(100, 8); // k = 0, then the reference sample
    for (int d : mapped) {
      s.fs(d);
    }
    byte[] out = szip(NN, 8, 8, 8).decode(s.bytes(), 0, 8);
    assertArrayEquals(new byte[] {100, 101, 99, 99, (byte) 250, (byte) 255, 0, 7}, out);
  }

  @Test
  void zeroBlockRunFillsTheRestOfTheReferenceInterval() {
    // 32 pixels per scanline: one interval of 4 blocks; a stored block then "rest of segment".
    Stream s = new Stream(32).bits(0b111, 3);
    for (int v = 1; v <= 8; v++) {
      s.bits(v, 8);
    }
    s.bits(0, 3).bits(0, 1).fs(4);
    byte[] out = szip(EC, 8, 8, 32).decode(s.bytes(), 0, 32);
    byte[] expected = new byte[32];
    for (int v = 1; v <= 8; v++) {
      expected[v - 1] = (byte) v;
    }
    assertArrayEquals(expected, out);
  }

  @Test
  void secondExtensionCodesPairsAsOneWord() {
    // pairs (0,0) (1,0) (0,1) (2,1): word (a+b)(a+b+1)/2 + b = 0, 1, 2, 7
    Stream s = new Stream(8).bits(0, 3).bits(1, 1).fs(0).fs(1).fs(2).fs(7);
    byte[] out = szip(EC, 8, 8, 8).decode(s.bytes(), 0, 8);
    assertArrayEquals(new byte[] {0, 0, 1, 0, 0, 1, 2, 1}, out);
  }

  @Test
  void fourBytePixelsAreCodedAsBytePlanes() {
    // two int32 words: plane 0 holds both first bytes, plane 1 both second bytes, ...
    Stream s = new Stream(8).bits(0b111, 3);
    for (int b : new int[] {1, 11, 2, 12, 3, 13, 4, 14}) {
      s.bits(b, 8);
    }
    byte[] out = szip(EC, 8, 32, 8).decode(s.bytes(), 0, 8);
    assertArrayEquals(new byte[] {1, 2, 3, 4, 11, 12, 13, 14}, out);
  }

  @Test
  void scanlinePaddingToWholeBlocksIsDropped() {
    // 6 pixels per scanline, 8 per block: each scanline is padded to one block of 8.
    Stream s = new Stream(12);
    for (int line = 0; line < 2; line++) {
      s.bits(0b111, 3);
      for (int i = 0; i < 8; i++) {
        s.bits(i < 6 ? line * 6 + i + 1 : 99, 8);
      }
    }
    byte[] out = szip(EC, 8, 8, 6).decode(s.bytes(), 0, 12);
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, out);
  }

  @Test
  void damagedChunksAreRefusedAsCorrupt() {
    Stream s = new Stream(8).bits(0b111, 3);
    for (int v = 1; v <= 8; v++) {
      s.bits(v, 8);
    }
    byte[] whole = s.bytes();
    FilterPipeline p = szip(EC, 8, 8, 8);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 2);
    Hdf5FormatException truncated =
        assertThrows(Hdf5FormatException.class, () -> p.decode(cut, 0, 8));
    assertTrue(truncated.getMessage().contains("szip"), truncated.getMessage());
    assertThrows(Hdf5FormatException.class, () -> p.decode(whole, 0, 7), "size mismatch");
    byte[] huge = whole.clone();
    huge[3] = 0x40; // claims 1 GiB decoded
    assertThrows(Hdf5FormatException.class, () -> p.decode(huge, 0, 8));
    // a zero-block run longer than its interval
    byte[] run = new Stream(8).bits(0, 3).bits(0, 1).fs(2).bytes();
    assertThrows(Hdf5FormatException.class, () -> p.decode(run, 0, 8));
    assertThrows(Hdf5FormatException.class, () -> p.decode(new byte[3], 0, 8));
  }

  @Test
  void impossibleParametersAreRefusedByName() {
    assertThrows(Hdf5FormatException.class, () -> szip(EC, 7, 8, 8));
    assertThrows(Hdf5FormatException.class, () -> szip(EC, 8, 8, 0));
    Hdf5UnsupportedException e =
        assertThrows(Hdf5UnsupportedException.class, () -> szip(EC, 8, 48, 8));
    assertTrue(e.getMessage().contains("szip"), e.getMessage());
    assertThrows(
        Hdf5FormatException.class,
        () ->
            FilterPipeline.of(List.of(new FilterSpec(4, "szip", false, new int[] {EC})), 4, "/d"));
  }
}
