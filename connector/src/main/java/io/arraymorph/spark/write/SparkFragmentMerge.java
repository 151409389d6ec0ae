package io.arraymorph.spark.write;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.FragmentMerge;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs core's {@link FragmentMerge} for a job's commit: on the driver when the fragments are few (a
 * Spark job costs more than it saves), else as a nested Spark job launched from the commit, one
 * task per group of chunks, so the merge scales with the cluster. Its tasks write chunks where the
 * write tasks do, so publication, abort and cleanup are the same.
 */
final class SparkFragmentMerge {
  private static final Logger LOG = LoggerFactory.getLogger(SparkFragmentMerge.class);

  private SparkFragmentMerge() {}

  /** One task's share: per target index, the chunks to merge. */
  private record Share(int target, List<FragmentMerge.ChunkFragments> chunks)
      implements Serializable {}

  /** Returns, per target, the coordinates of the chunks merged. */
  static List<List<long[]>> run(
      SparkWritePlan plan,
      List<DatasetWrite> writes,
      List<FragmentMerge.Plan> merges,
      ArrayStore store) {
    long start = System.nanoTime();
    List<List<long[]>> out = merge(plan, writes, merges, store);
    long bytes = 0;
    int chunks = 0;
    for (FragmentMerge.Plan p : merges) {
      bytes += p.fragmentBytes();
      chunks += p.toMerge().size();
    }
    if (chunks > 0) {
      // The commit's merge stage, for tuning writes of rows in random order.
      LOG.info(
          "Merged {} chunks from {} MiB of fragments in {} ms",
          chunks,
          bytes >> 20,
          (System.nanoTime() - start) / 1_000_000);
    }
    return out;
  }

  private static List<List<long[]>> merge(
      SparkWritePlan plan,
      List<DatasetWrite> writes,
      List<FragmentMerge.Plan> merges,
      ArrayStore store) {
    List<List<long[]>> out = new ArrayList<>();
    long bytes = 0;
    for (FragmentMerge.Plan p : merges) {
      bytes += p.fragmentBytes();
      out.add(new ArrayList<>());
    }
    int inFlight = plan.options().maxConcurrency();
    if (bytes <= plan.options().driverMergeBytes()) {
      for (int k = 0; k < merges.size(); k++) {
        out.get(k)
            .addAll(
                FragmentMerge.merge(
                    writes.get(k), store.objectStore(), merges.get(k).toMerge(), inFlight));
      }
      return out;
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
    int slots = Math.max(1, sc.defaultParallelism());
    List<Share> shares = new ArrayList<>();
    for (int k = 0; k < merges.size(); k++) {
      // About two groups per slot so uneven groups still balance.
      for (List<FragmentMerge.ChunkFragments> g : merges.get(k).groups(2 * slots)) {
        shares.add(new Share(k, g));
      }
    }
    if (shares.isEmpty()) {
      return out;
    }
    List<MergedChunk> merged =
        sc.parallelize(shares, shares.size()).mapPartitions(new MergeTask(plan)).collect();
    for (MergedChunk m : merged) {
      out.get(m.target()).add(m.coords());
    }
    return out;
  }

  /** A chunk a merge task wrote. */
  record MergedChunk(int target, long[] coords) implements Serializable {}

  /** The merge task: opens the store once and merges its shares. */
  private static final class MergeTask implements FlatMapFunction<Iterator<Share>, MergedChunk> {
    private static final long serialVersionUID = 1L;
    private final SparkWritePlan plan;

    MergeTask(SparkWritePlan plan) {
      this.plan = plan;
    }

    @Override
    public Iterator<MergedChunk> call(Iterator<Share> shares) {
      List<MergedChunk> out = new ArrayList<>();
      try (ArrayStore store =
          ArrayStore.openShared(plan.options().location(), plan.options().storeSettings())) {
        while (shares.hasNext()) {
          Share s = shares.next();
          DatasetWrite w = plan.targets().get(s.target()).write();
          for (long[] c :
              FragmentMerge.merge(
                  w, store.objectStore(), s.chunks(), plan.options().maxConcurrency())) {
            out.add(new MergedChunk(s.target(), c));
          }
        }
      }
      return out.iterator();
    }
  }
}
