package io.arraymorph.spark.rechunk;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.rechunk.BlockPacks;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkPlan;
import io.arraymorph.rechunk.RechunkTasks;
import io.arraymorph.scan.Region;
import io.arraymorph.store.StoreSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;

/**
 * Runs a rechunk plan as one Spark job: one task per box of the plan; a direct or one-stage plan's
 * task reads its box and writes the target chunks in it ({@link RechunkTasks#writeRegion}); for a
 * two-stage plan, a shuffle of block packs (one byte array per source slice and assembling group,
 * never one row per element nor one object per block) to the tasks that own the target chunks,
 * unsorted: an assembling task holds the chunks of its group still awaiting blocks, at most half of
 * {@code rechunk_memory} (see {@link RechunkPlan#assemblyGroups}).
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
  public int parallelism() {
    return spark.sparkContext().defaultParallelism();
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
        written = reads.map(new WriteRegion(plan, settings, maxInFlight));
      } else {
        int groups = plan.assemblyGroups(jsc.defaultParallelism());
        // Keys are group numbers below `groups`: HashPartitioner sends group g to partition g.
        // No sort: an assembling task takes its packs in any order.
        written =
            reads
                .flatMapToPair(new CutPacks(plan, settings, groups))
                .partitionBy(new HashPartitioner(groups))
                .mapPartitions(new AssemblePacks(plan, settings, maxInFlight));
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

  /** A direct or one-stage plan's task: reads a box and writes the target chunks it holds. */
  private record WriteRegion(RechunkPlan plan, StoreSettings settings, int maxInFlight)
      implements Function<Region.Box, List<long[]>> {
    @Override
    public List<long[]> call(Region.Box box) {
      try (ArrayStore src =
              ArrayStore.openShared(plan.request().source(), settings, List.of(plan.sourceRef()));
          ArrayStore dst = ArrayStore.openShared(plan.request().target(), settings)) {
        return new ArrayList<>(
            RechunkTasks.writeRegion(src.dataset(plan.sourceRef()), dst, plan, box, maxInFlight));
      }
    }
  }

  /**
   * Reads a box one slice at a time ({@link RechunkPlan#slices}) and cuts each slice into one pack
   * of blocks per assembling group: the task holds one slice and its packs, and Spark's shuffle
   * gets a few large byte arrays rather than an object per block.
   */
  private record CutPacks(RechunkPlan plan, StoreSettings settings, int groups)
      implements PairFlatMapFunction<Region.Box, Integer, byte[]> {
    @Override
    public Iterator<Tuple2<Integer, byte[]>> call(Region.Box box) {
      Iterator<Region.Box> slices = plan.slices(box).iterator();
      // One store and dataset for the task's slices, closed once they are cut (or the task ends).
      ArrayStore src =
          ArrayStore.openShared(plan.request().source(), settings, List.of(plan.sourceRef()));
      AtomicBoolean closed = new AtomicBoolean();
      Runnable close =
          () -> {
            if (closed.compareAndSet(false, true)) {
              src.close();
            }
          };
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) c -> close.run());
      }
      Dataset source = src.dataset(plan.sourceRef());
      return new Iterator<>() {
        private Iterator<Map.Entry<Integer, byte[]>> packs = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!packs.hasNext() && slices.hasNext()) {
            Region.Box slice = slices.next();
            packs =
                BlockPacks.cut(plan, slice, RechunkTasks.read(source, slice), groups)
                    .entrySet()
                    .iterator();
          }
          if (!packs.hasNext()) {
            close.run();
          }
          return packs.hasNext();
        }

        @Override
        public Tuple2<Integer, byte[]> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Map.Entry<Integer, byte[]> e = packs.next();
          return new Tuple2<>(e.getKey(), e.getValue());
        }
      };
    }
  }

  /** Assembles and writes a group's target chunks from its packs, in the order they come. */
  private record AssemblePacks(RechunkPlan plan, StoreSettings settings, int maxInFlight)
      implements FlatMapFunction<Iterator<Tuple2<Integer, byte[]>>, List<long[]>> {
    @Override
    public Iterator<List<long[]>> call(Iterator<Tuple2<Integer, byte[]>> packs) {
      Iterator<byte[]> values =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return packs.hasNext();
            }

            @Override
            public byte[] next() {
              return packs.next()._2();
            }
          };
      try (ArrayStore dst = ArrayStore.openShared(plan.request().target(), settings)) {
        List<long[]> written =
            new ArrayList<>(RechunkTasks.assemblePacks(dst, plan, values, maxInFlight));
        return List.<List<long[]>>of(written).iterator();
      }
    }
  }
}
