package io.arraymorph.codec;

import java.util.Map;

/** A Zarr v3 bytes-to-bytes codec: compression or a checksum applied to an encoded chunk. */
public interface BytesCodec {

  /** The codec's Zarr name, e.g. {@code gzip}. */
  String name();

  byte[] encode(byte[] data);

  /**
   * Decodes {@code data}, refusing to produce more than {@code maxDecodedSize} bytes (hostile input
   * must not cause huge allocations).
   *
   * @throws CodecException when the data is corrupt or decodes to more than the limit
   */
  byte[] decode(byte[] data, int maxDecodedSize);

  /** The codec's {@code configuration} object in zarr.json. */
  Map<String, Object> configuration();
}
