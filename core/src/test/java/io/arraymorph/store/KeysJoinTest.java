package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeysJoinTest {

  @Test
  void joinsWithOneSlashDroppingOuterSlashesAndEmptyParts() {
    assertEquals("a/b/c/0/1", Keys.join("/a/", "", null, "//", "b//", "c/0/1"));
    assertEquals("field.zarr/value/c/3/4", Keys.join("field.zarr/value", "c/3/4"));
  }

  @Test
  void slashesInsideAPartAreKept() {
    assertEquals("a//b/c", Keys.join("a//b", "/c"));
  }

  @Test
  void nothingToJoinIsTheEmptyKey() {
    assertEquals("", Keys.join());
    assertEquals("", Keys.join("/", "", "///"));
  }
}
