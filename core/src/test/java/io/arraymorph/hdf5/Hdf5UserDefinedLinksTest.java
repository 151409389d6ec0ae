package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group holding a user-defined link (which jhdf 0.13 cannot parse, failing the whole group) still
 * lists and reads its other members through the Java API; the link itself is refused by name.
 */
class Hdf5UserDefinedLinksTest {
  private static final String FILE = "user_defined_links.h5";

  @Test
  void listingLeavesOutUserDefinedLinksAndNamesEveryOtherMember() {
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve(FILE).toString())) {
      List<String> datasets =
          store.list().stream()
              .filter(n -> n.kind() == NodeInfo.Kind.DATASET)
              .map(NodeInfo::path)
              .toList();
      assertEquals(List.of("/data", "/grp/inner"), datasets);
      List<String> groups =
          store.list().stream()
              .filter(n -> n.kind() == NodeInfo.Kind.GROUP)
              .map(NodeInfo::path)
              .toList();
      assertEquals(List.of("/", "/grp"), groups);
    }
  }

  @Test
  void membersBesideUserDefinedLinksReadWithH5pyValues() {
    List<Hdf5Fixtures.Entry> entries =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals(FILE)).toList();
    assertEquals(2, entries.size());
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve(FILE).toString())) {
      for (Hdf5Fixtures.Entry e : entries) {
        assertArrayEquals(e.reference(), store.dataset(e.path()).read().bytes(), e.toString());
      }
      // A soft link beside them is followed, as in any group.
      byte[] data =
          entries.stream()
              .filter(e -> e.path().equals("/data"))
              .findFirst()
              .orElseThrow()
              .reference();
      assertArrayEquals(data, store.dataset("/alias").read().bytes());
    }
  }

  @Test
  void aPathThroughAUserDefinedLinkFailsNamingTheLinkAndItsType() {
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve(FILE).toString())) {
      Hdf5UnsupportedException e =
          assertThrows(Hdf5UnsupportedException.class, () -> store.dataset("/grp/udlink_in_grp"));
      assertEquals("user-defined link (link type 187)", e.feature());
      assertTrue(e.getMessage().contains("/grp/udlink_in_grp"), e.getMessage());
      Hdf5UnsupportedException below =
          assertThrows(Hdf5UnsupportedException.class, () -> store.dataset("/udlink/x"));
      assertTrue(below.getMessage().contains("met at '/udlink'"), below.getMessage());
    }
  }
}
