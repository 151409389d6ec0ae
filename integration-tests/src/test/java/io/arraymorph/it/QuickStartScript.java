package io.arraymorph.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark operations of {@code examples/python/quickstart.py} (and so of the notebook generated
 * from it), read from the script's constants, as {@code key=value} arguments for {@link
 * io.arraymorph.it.apps.ArrayRoundTrip}. JVM tests run exactly what the Python example runs.
 */
final class QuickStartScript {
  private static final Pattern STRING_CONSTANT =
      Pattern.compile("^([A-Z_]+) = \\(?\"((?:[^\"\\\\]|\\\\.)*)\"", Pattern.MULTILINE);
  private static final Pattern OPTIONS_CONSTANT =
      Pattern.compile("^([A-Z_]+_OPTIONS) = \\{([^}]*)\\}", Pattern.MULTILINE);
  private static final Pattern OPTION = Pattern.compile("\"([a-z_]+)\": \"([^\"]*)\"");

  private final Map<String, String> strings = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> options = new LinkedHashMap<>();

  private QuickStartScript(String text) {
    Matcher m = STRING_CONSTANT.matcher(text);
    while (m.find()) {
      strings.put(m.group(1), m.group(2));
    }
    Matcher o = OPTIONS_CONSTANT.matcher(text);
    while (o.find()) {
      Map<String, String> values = new LinkedHashMap<>();
      Matcher kv = OPTION.matcher(o.group(2));
      while (kv.find()) {
        values.put(kv.group(1), kv.group(2));
      }
      options.put(o.group(1), values);
    }
  }

  static QuickStartScript load() throws IOException {
    return new QuickStartScript(Files.readString(Path.of(System.getProperty("quickstart.py"))));
  }

  String constant(String name) {
    String v = strings.get(name);
    if (v == null) {
      throw new IllegalStateException("quickstart.py defines no string constant " + name);
    }
    return v;
  }

  /** Arguments for {@code ArrayRoundTrip}: the script's SQL, dataset, write options and filter. */
  List<String> roundTripArgs(String location) {
    List<String> args = new ArrayList<>();
    args.add("location=" + location);
    args.add("sql=" + constant("GRID_SQL"));
    args.add("dataset=" + constant("DATASET"));
    args.add("filter=" + constant("SLICE_FILTER"));
    Map<String, String> write = options.get("WRITE_OPTIONS");
    if (write == null || write.isEmpty()) {
      throw new IllegalStateException("quickstart.py defines no WRITE_OPTIONS");
    }
    write.forEach((k, v) -> args.add("write." + k + "=" + v));
    return args;
  }
}
