package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.local.LocalObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One open file serves many threads at once: datasets opened, chunk indexes read and chunks fetched
 * concurrently still give h5py's values.
 */
class Hdf5ConcurrentReadsTest {

  @Test
  void manyThreadsReadDatasetsOfOneOpenFile() {
    List<Hdf5Fixtures.Entry> entries =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals("latest.h5")).toList();
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 8);
        Hdf5File file = Hdf5File.open(store, "latest.h5")) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          for (Hdf5Fixtures.Entry e : entries) {
            futures.add(
                pool.submit(
                    () -> {
                      Hdf5Dataset ds = file.dataset(e.path());
                      assertArrayEquals(
                          e.reference(), ds.read(Hyperslab.all(ds.shape())).bytes(), e.path());
                      return null;
                    }));
          }
        }
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> {
              for (Future<?> f : futures) {
                f.get();
              }
            });
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
