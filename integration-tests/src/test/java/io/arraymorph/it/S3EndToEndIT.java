package io.arraymorph.it;

/** The end-to-end suite on the s3 store. */
class S3EndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.s3();
  }
}
