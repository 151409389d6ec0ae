package io.arraymorph.it;

import io.arraymorph.testing.StartsServers;

/**
 * The end-to-end suite (Java API, then Spark on {@code local[2]}) on the s3 store over https with a
 * private CA given by {@code tls_ca_file}.
 */
@StartsServers
class S3HttpsEndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.s3Https();
  }
}
