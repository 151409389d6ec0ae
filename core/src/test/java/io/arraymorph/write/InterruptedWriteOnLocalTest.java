package io.arraymorph.write;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.testing.InterruptedWriteContract;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;

class InterruptedWriteOnLocalTest extends InterruptedWriteContract {
  @TempDir Path dir;
  private int roots;

  @Override
  protected Supplier<ObjectStore> newLocation() {
    Path root = dir.resolve("store-" + roots++);
    return () -> new LocalObjectStore(root);
  }
}
