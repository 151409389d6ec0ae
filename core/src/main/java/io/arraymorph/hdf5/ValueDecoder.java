package io.arraymorph.hdf5;

import io.jhdf.dataset.DatasetReader;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the raw element bytes of a string, compound, enum or array dataset into {@link Hdf5Values}.
 * Strings and numbers are decoded by jhdf's own readers; variable-length strings are resolved in
 * the global heap through the file's block-cached metadata channel. Enum codes are decoded here,
 * since jhdf reads big-endian codes and labels wrongly.
 */
final class ValueDecoder {
  private final Hdf5TypeTree type;
  private final HdfBackingStorage storage;
  private final String key;
  private final String path;

  ValueDecoder(Hdf5TypeTree type, HdfBackingStorage storage, String key, String path) {
    this.type = type;
    this.storage = storage;
    this.key = key;
    this.path = path;
  }

  /**
   * A fixed-length string never written holds NUL bytes whatever its padding: jhdf keeps them in a
   * space-padded string, numpy and h5py drop trailing NULs in every padding (so do we).
   */
  private static String withoutTrailingNuls(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '\0') {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  /** Decodes {@code count} elements stored one after another in {@code raw}. */
  Hdf5Values decode(byte[] raw, int count) {
    return Jhdf.call(
        () -> decode(type, ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), count), key, path);
  }

  private Hdf5Values decode(Hdf5TypeTree t, ByteBuffer buf, int count) {
    Hdf5ElementType k = t.kind();
    if (k instanceof Hdf5ElementType.Bool bool) {
      boolean[] out = new boolean[count];
      for (int i = 0; i < count; i++) {
        out[i] = buf.get(i) != 0; // numpy reads any non-zero byte as True
      }
      return Hdf5Values.ofBooleans(bool, out);
    }
    if (k instanceof Hdf5ElementType.Enumeration e) {
      ElementType packed = ((Hdf5TypeTree.Enum) t).packed();
      return packed == null
          ? enumValues(e, buf, e.bigEndian(), count)
          : enumValues(e, unpacked(packed, e.base().byteSize(), buf, count), false, count);
    }
    if (t instanceof Hdf5TypeTree.Leaf leaf) {
      if (k instanceof Hdf5ElementType.Text text) {
        String[] strings = (String[]) DatasetReader.readDataset(leaf.jhdf(), buf, count, storage);
        if (!text.variableLength()) {
          for (int i = 0; i < strings.length; i++) {
            strings[i] = withoutTrailingNuls(strings[i]);
          }
        }
        return Hdf5Values.ofStrings(text, strings);
      }
      ByteBuffer numbers =
          leaf.packed() == null ? buf : unpacked(leaf.packed(), leaf.size(), buf, count);
      return Hdf5Values.ofNumbers(
          (Hdf5ElementType.Numeric) k,
          DatasetReader.readDataset(leaf.jhdf(), numbers, count, storage));
    }
    if (t instanceof Hdf5TypeTree.Array array) {
      // An element's items are stored one after another, so count arrays are count * items items.
      int items = Math.multiplyExact(count, array.kind().items());
      return Hdf5Values.ofArray(array.kind(), count, decode(array.element(), buf, items));
    }
    Hdf5TypeTree.Compound compound = (Hdf5TypeTree.Compound) t;
    int stride = compound.size();
    Map<String, Hdf5Values> columns = new LinkedHashMap<>();
    for (Hdf5TypeTree.Field member : compound.fields()) {
      int size = member.type().size();
      byte[] bytes = new byte[Math.multiplyExact(size, count)];
      for (int i = 0; i < count; i++) {
        buf.get(stride * i + member.offset(), bytes, size * i, size);
      }
      ByteBuffer column = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      columns.put(member.name(), decode(member.type(), column, count));
    }
    return Hdf5Values.ofCompound(compound.kind(), count, columns);
  }

  /** The values of n-bit numbers, as little-endian numbers of their size with every bit used. */
  private static ByteBuffer unpacked(ElementType packed, int size, ByteBuffer buf, int count) {
    byte[] elements = new byte[Math.multiplyExact(size, count)];
    buf.get(0, elements);
    if (packed.bigEndian()) {
      Hdf5TypeTree.Parser.reverseEach(elements, size);
    }
    return ByteBuffer.wrap(NbitIntegerSource.values(elements, packed))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Hdf5Values enumValues(
      Hdf5ElementType.Enumeration e, ByteBuffer buf, boolean bigEndian, int count) {
    ByteBuffer b =
        buf.duplicate().order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    Map<Long, String> labels = new HashMap<>();
    e.codes().forEach((label, code) -> labels.put(code, label));
    boolean signed = e.base().kind() == io.arraymorph.array.DataType.Kind.SIGNED;
    int size = e.base().byteSize();
    long[] codes = new long[count];
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      int at = i * size;
      long c =
          switch (size) {
            case 1 -> signed ? b.get(at) : b.get(at) & 0xffL;
            case 2 -> signed ? b.getShort(at) : b.getShort(at) & 0xffffL;
            case 4 -> signed ? b.getInt(at) : b.getInt(at) & 0xffffffffL;
            default -> b.getLong(at);
          };
      codes[i] = c;
      out[i] = labels.get(c);
    }
    return Hdf5Values.ofEnum(e, codes, out);
  }
}
