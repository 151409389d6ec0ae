package io.arraymorph.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The option tables in docs/ are exactly what {@link OptionDocs} renders from the registry. */
class OptionDocsTest {
  private static final Path DOCS = Path.of("..", "docs");

  @ParameterizedTest
  @ValueSource(strings = {"configuration.md", "spark.md"})
  void optionTablesInTheDocsMatchTheRegistry(String file) throws IOException {
    String text = Files.readString(DOCS.resolve(file), StandardCharsets.UTF_8);
    assertEquals(
        OptionDocs.rewrite(text),
        text,
        "docs/"
            + file
            + " disagrees with ArrayMorphOptions; regenerate from the repository's root: mvn -B"
            + " -o -q -pl core compile exec:java"
            + " -Dexec.mainClass=io.arraymorph.options.OptionDocs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"configuration.md", "spark.md"})
  void theDocsHoldTheirGeneratedTables(String file) throws IOException {
    String text = Files.readString(DOCS.resolve(file), StandardCharsets.UTF_8);
    List<String> expected =
        file.equals("spark.md") ? List.of("spark") : List.of("store", "read", "write");
    assertEquals(expected, OptionDocs.tables(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "read", "write", "spark"})
  void everyOptionOfATablesScopeIsInIt(String table) {
    String rendered = OptionDocs.render(table);
    for (ArrayMorphOption<?> o : ArrayMorphOptions.all()) {
      boolean belongs =
          switch (table) {
            case "store" -> o.scopes().contains(OptionScope.STORE);
            case "read" -> o.scopes().contains(OptionScope.READ);
            case "write" -> o.scopes().contains(OptionScope.WRITE);
            default -> !o.scopes().contains(OptionScope.STORE);
          };
      assertEquals(belongs, rendered.contains("| `" + o.name() + "` |"), table + ": " + o.name());
    }
    assertTrue(rendered.startsWith("| option |"), rendered);
  }
}
