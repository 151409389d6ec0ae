package io.arraymorph.it;

/** The end-to-end suite on the s3a store. */
class S3AEndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.s3a();
  }
}
