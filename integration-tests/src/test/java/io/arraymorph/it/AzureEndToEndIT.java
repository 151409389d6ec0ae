package io.arraymorph.it;

import io.arraymorph.testing.StartsServers;

/** The end-to-end suite on the azure store. */
@StartsServers
class AzureEndToEndIT extends StoreEndToEndSuite {
  @Override
  StoreFixture store() {
    return StoreFixture.azure();
  }
}
