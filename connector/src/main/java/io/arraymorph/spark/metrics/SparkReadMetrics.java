package io.arraymorph.spark.metrics;

import io.arraymorph.store.StoreStats;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** The SQL metrics a read reports: chunks and bytes fetched, store requests, time waiting. */
public final class SparkReadMetrics {
  public static final String CHUNKS_FETCHED = "chunksFetched";
  public static final String BYTES_FETCHED = "bytesFetched";
  public static final String REQUESTS = "storeRequests";
  public static final String WAIT_MS = "storeWaitMs";

  private SparkReadMetrics() {}

  public static CustomMetric[] all() {
    return new CustomMetric[] {
      new ChunksFetched(), new BytesFetched(), new Requests(), new WaitMs()
    };
  }

  /** The current values of a task's counters. */
  public static CustomTaskMetric[] taskValues(long chunksFetched, StoreStats stats) {
    return new CustomTaskMetric[] {
      new TaskValue(CHUNKS_FETCHED, chunksFetched),
      new TaskValue(BYTES_FETCHED, stats.bytesRead()),
      new TaskValue(REQUESTS, stats.requests()),
      new TaskValue(WAIT_MS, stats.waitNanos() / 1_000_000)
    };
  }

  /** Chunks fetched from the store (one per dataset per chunk). */
  public static final class ChunksFetched extends CustomSumMetric {
    @Override
    public String name() {
      return CHUNKS_FETCHED;
    }

    @Override
    public String description() {
      return "chunks fetched";
    }
  }

  /** Bytes read from the store, as stored (compressed). */
  public static final class BytesFetched extends CustomSumMetric {
    @Override
    public String name() {
      return BYTES_FETCHED;
    }

    @Override
    public String description() {
      return "bytes fetched from store";
    }
  }

  /** Requests sent to the store. */
  public static final class Requests extends CustomSumMetric {
    @Override
    public String name() {
      return REQUESTS;
    }

    @Override
    public String description() {
      return "store requests";
    }
  }

  /** Summed time from issuing a request to its completion. */
  public static final class WaitMs extends CustomSumMetric {
    @Override
    public String name() {
      return WAIT_MS;
    }

    @Override
    public String description() {
      return "store wait time (ms)";
    }
  }
}
