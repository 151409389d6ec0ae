package io.arraymorph.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code RESULT key=value} lines a child program printed, by key (the last one wins). */
final class Results {
  private Results() {}

  static Map<String, String> of(ChildJvm child) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : child.linesStartingWith("RESULT ")) {
      int eq = line.indexOf('=');
      m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return m;
  }
}
