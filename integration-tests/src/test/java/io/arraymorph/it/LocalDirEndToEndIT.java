package io.arraymorph.it;

/** The end-to-end suite on the local store. */
class LocalDirEndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.local();
  }
}
