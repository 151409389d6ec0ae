package io.arraymorph.it;

/** The end-to-end suite on the azure store. */
class AzureEndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.azure();
  }
}
