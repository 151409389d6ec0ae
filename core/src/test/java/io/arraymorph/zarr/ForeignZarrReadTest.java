package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zarr v3 arrays written by hand as raw files, as another Zarr implementation would. */
class ForeignZarrReadTest {
  @TempDir Path dir;

  private void write(String relative, byte[] data) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, data);
  }

  private void write(String relative, String text) throws IOException {
    write(relative, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    }
    return bos.toByteArray();
  }

  private static byte[] bigEndianDoubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.BIG_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  private static byte[] withCrc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    ByteBuffer b = ByteBuffer.allocate(data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(data).putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void bigEndianGzipFloat64WithDotSeparatorAndNanFill() throws IOException {
    write(
        "temp/zarr.json",
        """
        {
          "zarr_format": 3,
          "node_type": "array",
          "shape": [5, 2],
          "data_type": "float64",
          "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 2]}},
          "chunk_key_encoding": {"name": "default", "configuration": {"separator": "."}},
          "fill_value": "NaN",
          "codecs": [
            {"name": "bytes", "configuration": {"endian": "big"}},
            {"name": "gzip", "configuration": {"level": 1}}
          ],
          "attributes": {"units": "K", "valid": [0, 400]},
          "dimension_names": ["time", null]
        }
        """);
    write("temp/c.0.0", gzip(bigEndianDoubles(1.5, -2.0, 3.25, 1e300)));
    // chunk c.1.0 is missing: rows 2-3 read as NaN
    // the edge chunk's padding row holds junk that must not be read
    write("temp/c.2.0", gzip(bigEndianDoubles(9.5, Double.NEGATIVE_INFINITY, 123, 456)));
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d = store.dataset("temp");
      assertEquals(DataType.FLOAT64, d.dataType());
      assertArrayEquals(new long[] {5, 2}, d.shape());
      assertArrayEquals(new int[] {2, 2}, d.chunkShape());
      assertEquals(List.of("time", "dim_1"), d.dimensionNames());
      assertEquals("K", d.attributes().get("units"));
      assertEquals(List.of(0, 400), d.attributes().get("valid"));
      double[] values = d.read().toDoubleArray();
      assertArrayEquals(
          new double[] {
            1.5,
            -2.0,
            3.25,
            1e300,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            9.5,
            Double.NEGATIVE_INFINITY
          },
          values);
      NdArray column =
          d.read(
              new Hyperslab(
                  new long[] {0, 1}, new long[] {4, 1}, new long[] {2, 1}, new long[] {1, 1}));
      assertArrayEquals(new double[] {-2.0, Double.NEGATIVE_INFINITY}, column.toDoubleArray());
    }
  }

  @Test
  void v2KeyEncodingWithCrc32c() throws IOException {
    write(
        "g/zarr.json",
        "{\"zarr_format\": 3, \"node_type\": \"group\", \"attributes\": {\"title\": \"t\"}}");
    write(
        "g/counts/zarr.json",
        """
        {
          "zarr_format": 3, "node_type": "array", "shape": [2, 3], "data_type": "int16",
          "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [1, 2]}},
          "chunk_key_encoding": {"name": "v2", "configuration": {"separator": "."}},
          "fill_value": -1,
          "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]
        }
        """);
    write("g/counts/0.0", withCrc32c(new byte[] {1, 0, (byte) 0xff, 0x7f}));
    write("g/counts/0.1", withCrc32c(new byte[] {0, (byte) 0x80, 9, 9}));
    write("g/counts/1.1", withCrc32c(new byte[] {5, 1, 0, 0}));
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d = store.dataset("g/counts");
      assertArrayEquals(new long[] {1, 32767, -32768, -1, -1, 261}, d.read().toLongArray());
      assertEquals(List.of("dim_0", "dim_1"), d.dimensionNames());
      assertEquals(Map.of("title", "t"), store.groupAttributes("g"));
      List<NodeInfo> nodes = store.list();
      assertEquals(List.of("g", "g/counts"), nodes.stream().map(NodeInfo::path).toList());
      assertEquals(NodeInfo.Kind.DATASET, nodes.get(1).kind());
      assertEquals("int16", nodes.get(1).dataType());
    }
  }

  @Test
  void v2KeyEncodingDefaultsToDotAndSlashSeparatorWorks() throws IOException {
    String meta =
        """
        {
          "zarr_format": 3, "node_type": "array", "shape": [2, 2], "data_type": "uint32",
          "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [1, 1]}},
          "chunk_key_encoding": %s,
          "fill_value": 4294967295,
          "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]
        }
        """;
    write("dot/zarr.json", meta.formatted("{\"name\": \"v2\"}"));
    write("dot/1.0", new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    write(
        "slash/zarr.json",
        meta.formatted("{\"name\": \"default\", \"configuration\": {\"separator\": \"/\"}}"));
    write("slash/c/0/1", new byte[] {3, 0, 0, 0});
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      assertArrayEquals(
          new long[] {4294967295L, 4294967295L, 4294967294L, 4294967295L},
          store.dataset("dot").read().toLongArray());
      assertArrayEquals(
          new long[] {4294967295L, 3, 4294967295L, 4294967295L},
          store.dataset("slash").read().toLongArray());
    }
  }

  @Test
  void fillValuesGivenAsHexBitsAndInfinity() throws IOException {
    String meta =
        """
        {
          "zarr_format": 3, "node_type": "array", "shape": [1], "data_type": "%s",
          "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [1]}},
          "chunk_key_encoding": {"name": "default"},
          "fill_value": %s,
          "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]
        }
        """;
    write("a/zarr.json", meta.formatted("float32", "\"0x3fc00000\""));
    write("b/zarr.json", meta.formatted("float64", "\"-Infinity\""));
    write("c/zarr.json", meta.formatted("float16", "\"0x3c00\""));
    write("d/zarr.json", meta.formatted("bool", "true"));
    write("e/zarr.json", meta.formatted("uint64", "18446744073709551615"));
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      assertEquals(1.5, store.dataset("a").read().getDouble(0));
      assertEquals(Double.NEGATIVE_INFINITY, store.dataset("b").read().getDouble(0));
      assertEquals(1.0, store.dataset("c").read().getDouble(0));
      assertEquals(1, store.dataset("d").read().getLong(0));
      assertEquals(-1L, store.dataset("e").read().getLong(0));
      assertTrue(store.dataset("e").read().getDouble(0) > 1.8e19);
    }
  }
}
