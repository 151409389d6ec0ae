package io.arraymorph.hdf5.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packed layouts of scaleoffset and nbit, on chunks built by hand from the HDF5 format
 * description, and refusal of chunks and parameters that do not fit. (Chunks libhdf5 wrote are
 * compared with h5py in the HDF5 fixture tests.)
 */
class ScaleOffsetAndNbitFilterTest {

  private static FilterPipeline pipeline(int id, int... clientData) {
    return FilterPipeline.of(List.of(new FilterSpec(id, "f", false, clientData)), 2, "/d");
  }

  /** scaleoffset client data for 3 int16 values, little-endian, signed, fill value 9 defined. */
  private static final int[] INT16_FILL9 = {2, 0, 3, 0, 2, 1, 0, 1, 9};

  @Test
  void scaleoffsetIntegersAreMinimumPlusPackedDifferences() {
    // 3 bits per value, minimum -5: packed 1, 7 (all ones: the fill value), 4 -> 001 111 100
    byte[] chunk = new byte[21 + 2];
    chunk[0] = 3;
    chunk[4] = 8;
    long min = -5;
    for (int i = 0; i < 8; i++) {
      chunk[5 + i] = (byte) (min >>> (8 * i));
    }
    chunk[21] = (byte) 0b0011_1110;
    chunk[22] = 0b0000_0000;
    byte[] out = pipeline(6, INT16_FILL9).decode(chunk, 0, 6);
    assertArrayEquals(new byte[] {-4, -1, 9, 0, -1, -1}, out); // -4, 9, -1 little-endian
  }

  @Test
  void scaleoffsetTruncatedOrTooWideChunksAreCorrupt() {
    byte[] header = new byte[21];
    header[0] = 3;
    Hdf5FormatException short1 =
        assertThrows(
            Hdf5FormatException.class, () -> pipeline(6, INT16_FILL9).decode(header, 0, 6));
    assertTrue(short1.getMessage().contains("scaleoffset"), short1.getMessage());
    byte[] wide = new byte[30];
    wide[0] = 17;
    Hdf5FormatException e =
        assertThrows(Hdf5FormatException.class, () -> pipeline(6, INT16_FILL9).decode(wide, 0, 6));
    assertTrue(e.getMessage().contains("17 bits"), e.getMessage());
    assertThrows(
        Hdf5FormatException.class,
        () -> pipeline(6, INT16_FILL9).decode(new byte[10], 0, 6),
        "shorter than the header");
  }

  @Test
  void scaleoffsetFloatEScalingIsRefusedByName() {
    Hdf5UnsupportedException e =
        assertThrows(Hdf5UnsupportedException.class, () -> pipeline(6, 1, 0, 3, 1, 4, 0, 0, 0));
    assertTrue(e.getMessage().contains("E-scaling"), e.getMessage());
  }

  @Test
  void nbitPutsPackedBitsBackAtTheirOffset() {
    // int16 little-endian, 5 bits at offset 3: values 0b10110, 0b00001 -> 10110 00001 (+ padding)
    int[] cd = {8, 0, 2, 1, 2, 0, 5, 3};
    byte[] packed = {(byte) 0b1011_0000, (byte) 0b0100_0000};
    byte[] out = pipeline(5, cd).decode(packed, 0, 4);
    assertArrayEquals(new byte[] {(byte) 0b1011_0000, 0, 0b0000_1000, 0}, out);
    assertThrows(Hdf5FormatException.class, () -> pipeline(5, cd).decode(new byte[1], 0, 4));
  }

  @Test
  void nbitOnCompoundTypesUnpacksEachMemberInTurnAndCorruptParametersAreRefused() {
    // A 4-byte compound: a uint8 of 4 bits at byte 0, a big-endian int16 of 3 bits at offset 2 at
    // byte 1, one byte stored whole at byte 3; two elements, one bit stream over the chunk.
    int[] cd = {19, 0, 2, 3, 4, 3, 0, 1, 1, 0, 4, 0, 1, 1, 2, 1, 3, 2, 3, 4, 1};
    // Element 0: 1010, 101, 11110000; element 1: 0001, 010, 00001111 (then padding).
    byte[] packed = {
      (byte) 0b1010_1011, (byte) 0b1110_0000, (byte) 0b0010_1000, (byte) 0b0011_1100, 0
    };
    byte[] out = pipeline(5, cd).decode(packed, 0, 8);
    assertArrayEquals(
        new byte[] {0b1010, 0, 0b101 << 2, (byte) 0b1111_0000, 0b0001, 0, 0b010 << 2, 0b0000_1111},
        out);
    assertThrows(Hdf5FormatException.class, () -> pipeline(5, cd).decode(new byte[3], 0, 8));
    // A member past the compound's end, and a type class the format does not define.
    assertThrows(Hdf5FormatException.class, () -> pipeline(5, 10, 0, 2, 3, 4, 1, 3, 1, 2, 0, 8, 0));
    assertThrows(Hdf5UnsupportedException.class, () -> pipeline(5, 5, 0, 2, 7, 4));
    assertThrows(Hdf5FormatException.class, () -> pipeline(5, 8, 0, 2, 1, 2, 0, 12, 5));
  }
}
