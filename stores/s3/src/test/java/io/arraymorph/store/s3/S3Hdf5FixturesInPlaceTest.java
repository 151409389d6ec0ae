package io.arraymorph.store.s3;

import io.arraymorph.hdf5.Hdf5FixturesOnStoreContract;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;

/**
 * Every h5py fixture file read in place from S3Proxy (or the CI's S3 server named by {@code
 * ARRAYMORPH_TEST_S3_*}) through {@code ArrayStore.open("s3://…/<file>")} equals h5py's values.
 */
@StartsServers
class S3Hdf5FixturesInPlaceTest extends Hdf5FixturesOnStoreContract {
  private final S3ProxyServer server = S3ProxyServer.get();
  private final String bucket = S3ProxyServer.uniqueBucketName("hdf5");

  S3Hdf5FixturesInPlaceTest() {
    server.createBucket(bucket);
  }

  @Override
  protected String directory() {
    return "s3://" + bucket + "/hdf5-fixtures";
  }

  @Override
  protected StoreSettings settings() {
    return StoreSettings.of(server.settings(bucket));
  }
}
