package io.arraymorph.it;

import io.arraymorph.testing.StartsServers;

/** The end-to-end suite on the s3 store. */
@StartsServers
class S3EndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.s3();
  }
}
