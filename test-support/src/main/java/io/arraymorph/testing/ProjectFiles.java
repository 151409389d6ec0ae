package io.arraymorph.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds files of the source checkout from a test's working directory (a module folder). */
final class ProjectFiles {
  private ProjectFiles() {}

  /** The first existing {@code relative} path in the working directory or one of its parents. */
  static Optional<Path> findUpwards(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /** The checkout's root: the nearest parent holding a {@code .ci} folder, else the working dir. */
  static Path root() {
    return findUpwards(".ci").map(Path::getParent).orElse(Path.of("").toAbsolutePath());
  }

  /** An environment variable, treating blank as unset. */
  static Optional<String> env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}
