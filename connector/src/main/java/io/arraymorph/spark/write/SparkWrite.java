package io.arraymorph.spark.write;

import io.arraymorph.spark.metrics.SparkWriteMetrics;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.Write;

/**
 * A planned write. It asks Spark for no distribution or ordering (as Parquet does): each task
 * assembles the chunks its rows touch (core's {@code ChunkAssembler}), writes the chunks it gives
 * whole and stages the rest as fragments, which the commit merges ({@link SparkBatchWrite}).
 */
final class SparkWrite implements Write {
  private final SparkWritePlan plan;

  SparkWrite(SparkWritePlan plan) {
    this.plan = plan;
  }

  SparkWritePlan plan() {
    return plan;
  }

  @Override
  public String description() {
    return plan.options()
        .redact(
            "arraymorph write["
                + plan.options().get("path", "?")
                + " datasets="
                + plan.targets().stream().map(SparkWriteTarget::path).toList()
                + " chunks="
                + java.util.Arrays.toString(plan.chunks())
                + "]");
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return SparkWriteMetrics.all();
  }

  @Override
  public BatchWrite toBatch() {
    return new SparkBatchWrite(plan);
  }
}
