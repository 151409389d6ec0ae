package io.arraymorph.store.s3;

import io.arraymorph.hdf5.Hdf5RequestCountsOnStoreContract;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;

/** Reading HDF5 in place from S3Proxy makes the stated, counted number of requests. */
@StartsServers
class S3Hdf5RequestCountsTest extends Hdf5RequestCountsOnStoreContract {
  private final S3ProxyServer server = S3ProxyServer.get();
  private final String bucket = S3ProxyServer.uniqueBucketName("hdf5-requests");

  S3Hdf5RequestCountsTest() {
    server.createBucket(bucket);
  }

  @Override
  protected String directory() {
    return "s3://" + bucket + "/requests";
  }

  @Override
  protected StoreSettings settings() {
    return StoreSettings.of(server.settings(bucket));
  }
}
