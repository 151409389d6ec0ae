package io.arraymorph.hdf5.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Outcomes of reading the corpus through one door (Java API, Spark): per category (numeric, typed)
 * how many read exactly, how many were wrong and how many were refused, and why; written as a
 * report beside h5py's dump.
 */
public final class CorpusTally {
  /** Filters another piece of work owns: refusals naming them are counted apart. */
  private static final List<String> FILTERS_ELSEWHERE =
      List.of("blosc", "scaleoffset", "scale-offset", "nbit", "n-bit", "szip");

  private final String door;
  private final Map<String, int[]> counts = new TreeMap<>();
  private final List<String> lines = new ArrayList<>();
  private final List<String> wrong = new ArrayList<>();
  private final List<String> listingFailures = new ArrayList<>();

  public CorpusTally(String door) {
    this.door = door;
  }

  /** A dataset read and equal to h5py's values. */
  public synchronized void exact(String category, Object where) {
    bump(category, 0);
    lines.add(category + "\texact\t" + where);
  }

  /** A dataset read, but not what h5py reads: the worst outcome. */
  public synchronized void wrong(String category, Object where, String how) {
    bump(category, 1);
    wrong.add(where + ": " + how);
    lines.add(category + "\tWRONG\t" + where + "\t" + how);
  }

  /** A dataset the door refused, with its error. */
  public synchronized void refused(String category, Object where, Throwable e) {
    String reason = e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
    String lower = reason.toLowerCase(Locale.ROOT);
    boolean filtersElsewhere = FILTERS_ELSEWHERE.stream().anyMatch(lower::contains);
    bump(category, filtersElsewhere ? 3 : 2);
    lines.add(
        category
            + (filtersElsewhere ? "\trefused-filter\t" : "\trefused\t")
            + where
            + "\t"
            + reason);
  }

  /** A file whose listing failed. */
  public synchronized void listingFailed(String file, Throwable e) {
    listingFailures.add(file + ": " + oneLine(e.getMessage()));
    lines.add(
        "listing\tFAILED\t"
            + file
            + "\t"
            + e.getClass().getSimpleName()
            + ": "
            + oneLine(e.getMessage()));
  }

  public synchronized List<String> wrongValues() {
    return List.copyOf(wrong);
  }

  public synchronized List<String> listingFailures() {
    return List.copyOf(listingFailures);
  }

  /** Counts by category: exact, wrong, refused, refused for the filters of item 7. */
  public synchronized String summary(int files) {
    StringBuilder sb = new StringBuilder(door + " over " + files + " corpus files:");
    counts.forEach(
        (category, c) ->
            sb.append(
                String.format(
                    Locale.ROOT,
                    "%n  %-8s %5d datasets: %5d exact, %3d WRONG, %4d refused, %3d refused for"
                        + " blosc/scaleoffset/nbit/szip",
                    category,
                    c[0] + c[1] + c[2] + c[3],
                    c[0],
                    c[1],
                    c[2],
                    c[3])));
    sb.append(String.format(Locale.ROOT, "%n  listing failures: %d", listingFailures.size()));
    return sb.toString();
  }

  /** Writes every outcome, one per line, and the summary. */
  public synchronized void write(Path file, int files) {
    try {
      Files.createDirectories(file.getParent());
      List<String> all = new ArrayList<>(lines);
      all.sort(null);
      all.add(summary(files));
      Files.write(file, all);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void bump(String category, int slot) {
    counts.computeIfAbsent(category, c -> new int[4])[slot]++;
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    String flat = s.replaceAll("\\s+", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
