package io.arraymorph.it;

import io.arraymorph.testing.StartsServers;

/** The end-to-end suite on the s3a store. */
@StartsServers
class S3AEndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.s3a();
  }
}
