package io.arraymorph.spark.rechunk;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.NdArray;
import io.arraymorph.rechunk.Block;
import io.arraymorph.rechunk.BlockCutter;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkPlan;
import io.arraymorph.rechunk.RechunkTasks;
import io.arraymorph.scan.Region;
import io.arraymorph.store.StoreSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Runs a rechunk plan as one Spark job: one task per source read; for a plan that moves blocks, a
 * shuffle keyed by target chunk (blocks, never one row per element), sorted within each partition
 * so a task assembles one target chunk at a time.
 */
final class SparkRechunkRunner implements RechunkJob.Runner {
  private final SparkSession spark;
  private final StoreSettings settings;
  private final int maxInFlight;

  SparkRechunkRunner(SparkSession spark, StoreSettings settings, int maxInFlight) {
    this.spark = spark;
    this.settings = settings;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public List<long[]> run(RechunkPlan plan) {
    List<Region.Box> boxes = plan.readBoxes();
    if (boxes.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobDescription("arraymorph rechunk of " + plan.request().dataset());
    try {
      JavaRDD<Region.Box> reads = jsc.parallelize(boxes, boxes.size());
      JavaRDD<List<long[]>> written;
      if (plan.direct()) {
        written = reads.map(new WriteDirect(plan, settings, maxInFlight));
      } else {
        long objects = plan.targetGrid().chunkCount();
        long byMemory =
            (plan.arrayBytes() + plan.request().memoryBytes() - 1) / plan.request().memoryBytes();
        int partitions =
            (int)
                Math.min(objects, Math.max(jsc.defaultParallelism(), Math.min(byMemory, 100_000)));
        written =
            reads
                .flatMapToPair(new CutBlocks(plan, settings))
                .repartitionAndSortWithinPartitions(new TargetPartitioner(partitions, objects))
                .mapPartitions(new Assemble(plan, settings, maxInFlight));
      }
      List<long[]> out = new ArrayList<>();
      for (List<long[]> chunks : collect(written)) {
        out.addAll(chunks);
      }
      return out;
    } finally {
      jsc.setJobDescription(null);
    }
  }

  /** Collects, turning a failed job (Spark throws it checked, undeclared) into an unchecked one. */
  private static List<List<long[]>> collect(JavaRDD<List<long[]>> written) {
    try {
      return written.collect();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ArrayMorphException("The rechunk job failed: " + e.getMessage(), e);
    }
  }

  /** A direct plan's task: reads a box and writes the target chunks it holds. */
  private record WriteDirect(RechunkPlan plan, StoreSettings settings, int maxInFlight)
      implements Function<Region.Box, List<long[]>> {
    @Override
    public List<long[]> call(Region.Box box) {
      NdArray data = read(plan, settings, box);
      try (ArrayStore dst = ArrayStore.openShared(plan.request().target(), settings)) {
        return new ArrayList<>(RechunkTasks.writeDirect(dst, plan, box, data, maxInFlight));
      }
    }
  }

  /** Reads a box and cuts it into blocks keyed by their target chunk. */
  private record CutBlocks(RechunkPlan plan, StoreSettings settings)
      implements PairFlatMapFunction<Region.Box, Long, Block> {
    @Override
    public Iterator<Tuple2<Long, Block>> call(Region.Box box) {
      List<Tuple2<Long, Block>> out = new ArrayList<>();
      for (Block b : BlockCutter.cut(plan, box, read(plan, settings, box))) {
        out.add(new Tuple2<>(b.target(), b));
      }
      return out.iterator();
    }
  }

  /** Assembles a partition's target chunks from its blocks, sorted by target chunk. */
  private record Assemble(RechunkPlan plan, StoreSettings settings, int maxInFlight)
      implements FlatMapFunction<Iterator<Tuple2<Long, Block>>, List<long[]>> {
    @Override
    public Iterator<List<long[]>> call(Iterator<Tuple2<Long, Block>> blocks) {
      Iterable<Block> stream =
          () ->
              new Iterator<>() {
                @Override
                public boolean hasNext() {
                  return blocks.hasNext();
                }

                @Override
                public Block next() {
                  return blocks.next()._2();
                }
              };
      try (ArrayStore dst = ArrayStore.openShared(plan.request().target(), settings)) {
        List<long[]> written =
            new ArrayList<>(RechunkTasks.assemble(dst, plan, stream, maxInFlight));
        return List.<List<long[]>>of(written).iterator();
      }
    }
  }

  private static NdArray read(RechunkPlan plan, StoreSettings settings, Region.Box box) {
    try (ArrayStore src =
        ArrayStore.openShared(plan.request().source(), settings, List.of(plan.sourceRef()))) {
      return RechunkTasks.read(src, plan, box);
    }
  }

  /** Contiguous ranges of target chunks (in grid order) per partition. */
  static final class TargetPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final long objects;

    TargetPartitioner(int partitions, long objects) {
      this.partitions = Math.max(1, partitions);
      this.objects = Math.max(1, objects);
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      long target = (Long) key;
      return (int) Math.min(partitions - 1, (long) (target * (double) partitions / objects));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TargetPartitioner p && p.partitions == partitions && p.objects == objects;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(objects) * 31 + partitions;
    }
  }
}
