package io.arraymorph.scan;

import io.arraymorph.store.ForwardingObjectStore;
import io.arraymorph.store.ObjectStore;

/**
 * Another store's objects seen through a store that cannot check an object's version within its
 * reads (as the Hadoop store): reads of files planned elsewhere are then checked by a HEAD after
 * them ({@link VersionCheck#verifyFiles}).
 */
final class HeadCheckedStore extends ForwardingObjectStore {
  HeadCheckedStore(ObjectStore inner) {
    super(inner);
  }
}
