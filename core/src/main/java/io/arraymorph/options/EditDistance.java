package io.arraymorph.options;

/**
 * Levenshtein distance between two short names, for did-you-mean suggestions. Hand-written (a dozen
 * lines): commons-text is not a dependency of core, and commons-lang3's version is deprecated.
 */
final class EditDistance {
  private EditDistance() {}

  /** Insertions, deletions and substitutions turning {@code a} into {@code b}. */
  static int between(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
