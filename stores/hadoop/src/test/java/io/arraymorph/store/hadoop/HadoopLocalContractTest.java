package io.arraymorph.store.hadoop;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.ObjectStoreContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The Hadoop store keeps the store contract on Hadoop's local FileSystem (storage=hadoop). */
class HadoopLocalContractTest extends ObjectStoreContractTest {
  @TempDir Path dir;

  @Override
  protected ObjectStore openEmptyStore() {
    return ObjectStores.open(
        dir.resolve("root").toUri().toString(), StoreSettings.of(Map.of("storage", "hadoop")));
  }

  /** The local FileSystem's tag is the modification time, in milliseconds at best. */
  @Override
  protected long tagResolutionMillis() {
    return 1_100;
  }
}
