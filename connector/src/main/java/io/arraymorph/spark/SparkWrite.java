package io.arraymorph.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.distributions.Distribution;
import org.apache.spark.sql.connector.distributions.Distributions;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.FieldReference;
import org.apache.spark.sql.connector.expressions.SortDirection;
import org.apache.spark.sql.connector.expressions.SortOrder;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.RequiresDistributionAndOrdering;
import org.apache.spark.sql.connector.write.Write;

/**
 * A planned write. It requires rows clustered by {@code chunk_index(indices, chunk extents)} and
 * sorted by it within each task, strictly: all rows of one chunk reach one task, which can write
 * each chunk object once, in order, holding few chunks in memory.
 */
final class SparkWrite implements Write, RequiresDistributionAndOrdering {
  private final SparkWritePlan plan;

  SparkWrite(SparkWritePlan plan) {
    this.plan = plan;
  }

  SparkWritePlan plan() {
    return plan;
  }

  /** {@code chunk_index(i, j, ..., ci, cj, ...)} over the index columns. */
  Expression chunkIndex() {
    List<Expression> args = new ArrayList<>();
    for (String d : plan.dimNames()) {
      args.add(FieldReference.column(d));
    }
    int n = plan.layout() == SparkOptions.Layout.CELLS ? plan.rank() : 1;
    for (int d = 0; d < n; d++) {
      args.add(Expressions.literal(plan.chunks()[d]));
    }
    return Expressions.apply(SparkChunkIndexFunction.NAME, args.toArray(Expression[]::new));
  }

  @Override
  public Distribution requiredDistribution() {
    return Distributions.clustered(new Expression[] {chunkIndex()});
  }

  @Override
  public SortOrder[] requiredOrdering() {
    return new SortOrder[] {Expressions.sort(chunkIndex(), SortDirection.ASCENDING)};
  }

  @Override
  public boolean distributionStrictlyRequired() {
    return true;
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
