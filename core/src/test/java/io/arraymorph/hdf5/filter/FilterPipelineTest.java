package io.arraymorph.hdf5.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.hdf5.Hdf5ChecksumException;
import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Filter decoding: order, filter masks, checksums, and refusal of oversized or corrupt input. */
class FilterPipelineTest {
  private static final FilterSpec SHUFFLE = new FilterSpec(2, "shuffle", false, new int[] {4});
  private static final FilterSpec DEFLATE = new FilterSpec(1, "deflate", false, new int[] {6});
  private static final FilterSpec FLETCHER = new FilterSpec(3, "fletcher32", false, new int[0]);

  private static byte[] deflate(byte[] data) {
    Deflater d = new Deflater();
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  private static byte[] shuffle(byte[] data, int size) {
    int n = data.length / size;
    byte[] out = new byte[data.length];
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < size; b++) {
        out[b * n + i] = data[i * size + b];
      }
    }
    return out;
  }

  private static byte[] withFletcher(byte[] data) {
    long sum = Fletcher32Filter.checksum(data, data.length);
    byte[] out = java.util.Arrays.copyOf(data, data.length + 4);
    for (int i = 0; i < 4; i++) {
      out[data.length + i] = (byte) (sum >>> (8 * i));
    }
    return out;
  }

  private static byte[] sample(int n) {
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) (i * 31 + (i >> 3));
    }
    return data;
  }

  @Test
  void decodesInReverseOrderOfThePipeline() {
    byte[] raw = sample(4000);
    byte[] stored = withFletcher(deflate(shuffle(raw, 4)));
    FilterPipeline p = FilterPipeline.of(List.of(SHUFFLE, DEFLATE, FLETCHER), 4, "/x");
    assertArrayEquals(raw, p.decode(stored, 0, raw.length));
    assertEquals("shuffle[4] -> deflate[6] -> fletcher32", p.describe());
  }

  @Test
  void filterMaskSkipsFiltersNotAppliedToAChunk() {
    byte[] raw = sample(4000);
    byte[] stored = shuffle(raw, 4); // deflate (filter 1) was skipped for this chunk
    FilterPipeline p = FilterPipeline.of(List.of(SHUFFLE, DEFLATE), 4, "/x");
    assertArrayEquals(raw, p.decode(stored, 0b10, raw.length));
  }

  @Test
  void checksumMismatchIsAnError() {
    byte[] stored = withFletcher(sample(1001));
    stored[500] ^= 1;
    FilterPipeline p = FilterPipeline.of(List.of(FLETCHER), 1, "/x");
    assertThrows(Hdf5ChecksumException.class, () -> p.decode(stored, 0, 1001));
  }

  @Test
  void deflateBombIsRefusedBeforeExhaustingMemory() {
    byte[] bomb = deflate(new byte[50_000_000]);
    FilterPipeline p = FilterPipeline.of(List.of(DEFLATE), 1, "/x");
    Hdf5FormatException e = assertThrows(Hdf5FormatException.class, () -> p.decode(bomb, 0, 4000));
    assertTrue(e.getMessage().contains("more than"), e.getMessage());
  }

  @Test
  void truncatedDeflateStreamAndWrongSizeAreErrors() {
    byte[] stored = deflate(sample(4000));
    FilterPipeline p = FilterPipeline.of(List.of(DEFLATE), 1, "/x");
    byte[] cut = java.util.Arrays.copyOf(stored, stored.length / 2);
    assertThrows(Hdf5FormatException.class, () -> p.decode(cut, 0, 4000));
    assertThrows(Hdf5FormatException.class, () -> p.decode(stored, 0, 4001));
  }

  @Test
  void unsupportedFiltersAreNamed() {
    Hdf5UnsupportedException e =
        assertThrows(
            Hdf5UnsupportedException.class,
            () ->
                FilterPipeline.of(
                    List.of(new FilterSpec(32017, "SZ3", false, new int[0])), 4, "/d"));
    assertEquals("filter id 32017 (SZ3)", e.feature());
    assertEquals("/d", e.path());
  }
}
