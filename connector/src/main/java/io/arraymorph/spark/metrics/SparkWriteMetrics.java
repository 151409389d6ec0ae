package io.arraymorph.spark.metrics;

import io.arraymorph.store.StoreStats;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The SQL metrics a write reports: chunk objects tasks wrote whole, fragments they staged for the
 * merge at commit, bytes written, and the peak memory of a task's chunk buffers.
 */
public final class SparkWriteMetrics {
  public static final String CHUNKS_WRITTEN = "chunksWritten";
  public static final String BYTES_WRITTEN = "bytesWritten";
  public static final String FRAGMENTS_STAGED = "fragmentsStaged";
  public static final String PEAK_BUFFERED_BYTES = "peakBufferedBytes";

  private SparkWriteMetrics() {}

  /** The metrics a write declares to Spark (driver side). */
  public static CustomMetric[] all() {
    return new CustomMetric[] {
      new ChunksWritten(), new FragmentsStaged(), new BytesWritten(), new PeakBufferedBytes()
    };
  }

  /** One write task's values of {@link #all}. */
  public static CustomTaskMetric[] taskValues(
      long chunks, long fragments, StoreStats stats, long peakBuffered) {
    return new CustomTaskMetric[] {
      new TaskValue(CHUNKS_WRITTEN, chunks),
      new TaskValue(FRAGMENTS_STAGED, fragments),
      new TaskValue(BYTES_WRITTEN, stats.bytesWritten()),
      new TaskValue(PEAK_BUFFERED_BYTES, peakBuffered)
    };
  }

  /** Chunk objects write tasks wrote whole (one per dataset per chunk). */
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

  /** Partial chunks staged as fragments by write tasks, merged into chunks at commit. */
  public static final class FragmentsStaged extends CustomSumMetric {
    @Override
    public String name() {
      return FRAGMENTS_STAGED;
    }

    @Override
    public String description() {
      return "fragments staged";
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

  /**
   * The most bytes of chunk buffers one task held at once (the largest over tasks): bounded by
   * option {@code write_buffer_bytes}.
   */
  public static final class PeakBufferedBytes implements CustomMetric {
    @Override
    public String name() {
      return PEAK_BUFFERED_BYTES;
    }

    @Override
    public String description() {
      return "peak chunk buffer bytes per task";
    }

    @Override
    public String aggregateTaskMetrics(long[] values) {
      long max = 0;
      for (long v : values) {
        max = Math.max(max, v);
      }
      return Long.toString(max);
    }
  }
}
