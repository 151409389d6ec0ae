package io.arraymorph.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every option name the product's code looks up by its text ({@code settings.get("region")}) is
 * declared in {@link ArrayMorphOptions}, so that no option escapes the unknown-option warning,
 * validation, redaction and the documentation tables.
 */
class EveryOptionReadIsDeclaredTest {
  private static final Path ROOT = Path.of("..");

  private static final List<String> SOURCES =
      List.of(
          "core/src/main/java",
          "stores/s3/src/main/java",
          "stores/azure/src/main/java",
          "stores/hadoop/src/main/java",
          "connector/src/main/java",
          "cli/src/main/java");

  /** A lookup of a store setting or a Spark option by a literal name. */
  private static final Pattern LOOKUP =
      Pattern.compile("\\b(?:settings|options)\\s*\\.\\s*get\\(\\s*\"([a-z_]+)\"");

  @Test
  void everyOptionLookedUpByNameIsDeclared() {
    Set<String> read = new TreeSet<>();
    for (String dir : SOURCES) {
      Path root = ROOT.resolve(dir);
      if (!Files.isDirectory(root)) {
        continue; // a module not in this checkout
      }
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .forEach(
                f -> {
                  Matcher m = LOOKUP.matcher(read(f));
                  while (m.find()) {
                    read.add(m.group(1));
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertTrue(read.contains("region"), "the scan found the store modules' lookups: " + read);
    Set<String> undeclared = new TreeSet<>(read);
    undeclared.removeIf(n -> ArrayMorphOptions.find(n).isPresent());
    assertEquals(Set.of(), undeclared, "declare these in ArrayMorphOptions");
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
