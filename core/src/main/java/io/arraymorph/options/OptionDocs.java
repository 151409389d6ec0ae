package io.arraymorph.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes the option tables of the documentation from {@link ArrayMorphOptions}, so they cannot
 * drift from what the code accepts. A table sits between a {@code <!-- options table: NAME -->}
 * line and a {@code <!-- end of options table -->} line; {@code OptionDocsTest} fails when a table
 * differs from what this class renders.
 *
 * <p>Regenerate after changing an option: {@code mvn -B -o -q -pl core compile exec:java
 * -Dexec.mainClass=io.arraymorph.options.OptionDocs} from the repository's root
 */
public final class OptionDocs {
  /** The documentation files holding generated tables, relative to the docs folder. */
  public static final List<String> FILES = List.of("configuration.md", "spark.md");

  private static final Pattern BLOCK =
      Pattern.compile(
          "(<!-- options table: ([a-z-]+) -->\\n)(.*?)(<!-- end of options table -->)",
          Pattern.DOTALL);

  private OptionDocs() {}

  /** Rewrites the generated tables of the files in {@link #FILES} under {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Path docs = Path.of(args.length > 0 ? args[0] : "docs");
    for (String f : FILES) {
      Path file = docs.resolve(f);
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String out = rewrite(text);
      if (!out.equals(text)) {
        Files.writeString(file, out, StandardCharsets.UTF_8);
        System.out.println("updated " + file);
      }
    }
  }

  /** {@code markdown} with every generated table rendered afresh. */
  public static String rewrite(String markdown) {
    Matcher m = BLOCK.matcher(markdown);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1) + render(m.group(2)) + m.group(4)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The names of the generated tables in {@code markdown}. */
  public static List<String> tables(String markdown) {
    return BLOCK.matcher(markdown).results().map(r -> r.group(2)).toList();
  }

  /**
   * One table: {@code store} (store options with environment variables), {@code read} and {@code
   * write} (the Spark source's options of that scope) or {@code spark} (read and write options side
   * by side).
   *
   * @throws IllegalArgumentException for another name
   */
  public static String render(String table) {
    return switch (table) {
      case "store" ->
          header("option", "environment variable", "default", "meaning")
              + rows(
                  ArrayMorphOptions.in(OptionScope.STORE),
                  o ->
                      List.of(
                          code(o.name()),
                          o.environmentVariable().map(OptionDocs::code).orElse("none"),
                          o.defaultText(),
                          meaning(o)));
      case "read" -> scopeTable(OptionScope.READ);
      case "write" -> scopeTable(OptionScope.WRITE);
      case "spark" ->
          header("option", "read/write", "default", "meaning")
              + rows(
                  ArrayMorphOptions.all().stream()
                      .filter(o -> !o.scopes().contains(OptionScope.STORE))
                      .toList(),
                  o -> List.of(code(o.name()), readWrite(o), o.defaultText(), meaning(o)))
              + row(
                  List.of(
                      "store options",
                      "both",
                      "",
                      "`max_concurrency` and every option of [the store table]"
                          + "(configuration.md#store-options): `storage`, `endpoint`,"
                          + " credentials, ... (secrets never shown in plans)"));
      default -> throw new IllegalArgumentException("No options table called '" + table + "'");
    };
  }

  private static String scopeTable(OptionScope scope) {
    return header("option", "default", "meaning")
        + rows(
            ArrayMorphOptions.in(scope), o -> List.of(code(o.name()), o.defaultText(), meaning(o)));
  }

  private static String readWrite(ArrayMorphOption<?> o) {
    boolean read = o.scopes().contains(OptionScope.READ);
    boolean write = o.scopes().contains(OptionScope.WRITE);
    return read && write ? "both" : read ? "read" : "write";
  }

  private static String meaning(ArrayMorphOption<?> o) {
    return o.secret() ? o.doc() + " **Secret.**" : o.doc();
  }

  private static String code(String s) {
    return "`" + s + "`";
  }

  private static String header(String... names) {
    return row(List.of(names))
        + row(List.of(names).stream().map(n -> "---").collect(Collectors.toList()));
  }

  private static String rows(
      List<ArrayMorphOption<?>> options,
      java.util.function.Function<ArrayMorphOption<?>, List<String>> cells) {
    return options.stream().map(o -> row(cells.apply(o))).collect(Collectors.joining());
  }

  private static String row(List<String> cells) {
    return "| "
        + cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | "))
        + " |\n";
  }
}
