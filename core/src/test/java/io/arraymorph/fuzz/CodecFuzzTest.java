package io.arraymorph.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arraymorph.codec.BytesCodec;
import io.arraymorph.codec.CodecPipeline;
import io.arraymorph.codec.Crc32cCodec;
import io.arraymorph.codec.GzipCodec;
import io.arraymorph.codec.ShardingCodec;
import io.arraymorph.codec.ZlibCodec;
import io.arraymorph.codec.ZstdCodec;
import java.util.List;

/**
 * Hostile chunk bytes: decoders reject corrupt, truncated or oversized input with a {@link
 * io.arraymorph.codec.CodecException} and never produce more than the size they are allowed; shard
 * indexes never point outside their shard.
 */
class CodecFuzzTest {
  private static final List<BytesCodec> CODECS =
      List.of(new GzipCodec(5), new ZstdCodec(3, true), new ZlibCodec(5), new Crc32cCodec());

  @FuzzTest(maxDuration = "60s")
  void bytesCodecsDecode(FuzzedDataProvider data) {
    BytesCodec codec = data.pickValue(CODECS);
    int max = data.consumeInt(0, 1 << 16);
    byte[] stored = data.consumeRemainingAsBytes();
    try {
      byte[] out = codec.decode(stored, max);
      if (out.length > max) {
        throw new AssertionError(codec.name() + " decoded " + out.length + " bytes, max " + max);
      }
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void shardIndex(FuzzedDataProvider data) {
    int inner = data.consumeInt(1, 64);
    boolean checksum = data.consumeBoolean();
    long shardSize = data.consumeLong(-1, 1L << 40);
    byte[] index = data.consumeRemainingAsBytes();
    ShardingCodec codec = new ShardingCodec(new int[] {inner}, CodecPipeline.raw(), checksum, true);
    try {
      long[][] entries = codec.decodeIndex(index, inner, shardSize);
      for (long[] e : entries) {
        if (e[0] == ShardingCodec.EMPTY && e[1] == ShardingCodec.EMPTY) {
          continue;
        }
        if (e[0] < 0 || e[1] < 0 || (shardSize >= 0 && e[1] > shardSize - e[0])) {
          throw new AssertionError("entry " + e[0] + "+" + e[1] + " outside shard " + shardSize);
        }
      }
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void shardDecode(FuzzedDataProvider data) {
    int inner = data.consumeInt(1, 8);
    int shard = inner * data.consumeInt(1, 4);
    ShardingCodec codec =
        new ShardingCodec(
            new int[] {inner}, CodecPipeline.raw(), data.consumeBoolean(), data.consumeBoolean());
    byte[] stored = data.consumeRemainingAsBytes();
    try {
      byte[] out = codec.decode(stored, new int[] {shard}, 4, new byte[inner * 4]);
      if (out.length != shard * 4) {
        throw new AssertionError("decoded " + out.length + " bytes for a shard of " + shard * 4);
      }
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }
}
