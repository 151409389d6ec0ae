package io.arraymorph.spark;

import io.arraymorph.store.StoreStats;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** The SQL metrics a write reports: chunk objects and bytes written. */
public final class SparkWriteMetrics {
  public static final String CHUNKS_WRITTEN = "chunksWritten";
  public static final String BYTES_WRITTEN = "bytesWritten";

  private SparkWriteMetrics() {}

  static CustomMetric[] all() {
    return new CustomMetric[] {new ChunksWritten(), new BytesWritten()};
  }

  static CustomTaskMetric[] taskValues(long chunks, StoreStats stats) {
    return new CustomTaskMetric[] {
      value(CHUNKS_WRITTEN, chunks), value(BYTES_WRITTEN, stats.bytesWritten())
    };
  }

  private static CustomTaskMetric value(String name, long v) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long value() {
        return v;
      }
    };
  }

  /** Chunk objects written (one per dataset per chunk). */
  public static final class ChunksWritten extends CustomSumMetric {
    @Override
    public String name() {
      return CHUNKS_WRITTEN;
    }

    @Override
    public String description() {
      return "chunks written";
    }
  }

  /** Bytes written to the store, encoded. */
  public static final class BytesWritten extends CustomSumMetric {
    @Override
    public String name() {
      return BYTES_WRITTEN;
    }

    @Override
    public String description() {
      return "bytes written to store";
    }
  }
}
