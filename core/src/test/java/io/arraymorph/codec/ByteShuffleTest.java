package io.arraymorph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteShuffleTest {
  /** HDF5's shuffle, written out from its definition: byte j of element i goes to j * n + i. */
  private static byte[] shuffle(byte[] data, int size) {
    int n = data.length / size;
    byte[] out = data.clone();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < size; j++) {
        out[j * n + i] = data[i * size + j];
      }
    }
    return out;
  }

  @Test
  void unshuffleInvertsTheShuffleForEveryElementSizeWithATrailingPartialElement() {
    Random random = new Random(16);
    for (int size : new int[] {1, 2, 3, 4, 8, 16}) {
      for (int length : new int[] {0, size - 1, 4 * size, 1000 * size + size / 2}) {
        byte[] data = new byte[Math.max(0, length)];
        random.nextBytes(data);
        byte[] shuffled = shuffle(data, size);
        byte[] out = new byte[data.length + 6];
        ByteShuffle.unshuffle(prefixed(shuffled, 5), 5, out, 6, data.length, size);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(out, 6, out.length), "size " + size);
      }
    }
  }

  /** Any run of elements of a shuffled block, unshuffled alone, is those elements' bytes. */
  @Test
  void unshufflingARunOfElementsGivesThoseElementsForEverySize() {
    Random random = new Random(17);
    for (int size : new int[] {1, 2, 3, 4, 8}) {
      int n = 97;
      byte[] data = new byte[n * size];
      random.nextBytes(data);
      byte[] shuffled = prefixed(shuffle(data, size), 3);
      for (int[] run : new int[][] {{0, 5}, {40, 5}, {92, 5}, {0, 97}, {13, 1}, {50, 0}}) {
        byte[] out = new byte[run[1] * size + 2];
        ByteShuffle.unshuffleElements(shuffled, 3, n, run[0], run[1], out, 2, size);
        assertArrayEquals(
            java.util.Arrays.copyOfRange(data, run[0] * size, (run[0] + run[1]) * size),
            java.util.Arrays.copyOfRange(out, 2, out.length),
            "size " + size + " run " + run[0] + "+" + run[1]);
      }
    }
  }

  private static byte[] prefixed(byte[] data, int prefix) {
    byte[] out = new byte[prefix + data.length];
    System.arraycopy(data, 0, out, prefix, data.length);
    return out;
  }
}
