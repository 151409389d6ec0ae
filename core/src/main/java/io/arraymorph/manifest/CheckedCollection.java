package io.arraymorph.manifest;

import io.arraymorph.ArrayMorphException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Granules checked against each other and the existing manifest, in manifest order, with each
 * variable's kind and signature: what a manifest write may publish. {@link #check} refuses, before
 * anything is written, a granule listed twice or already indexed, one that disagrees with the first
 * granule (or the manifest) on a variable, one whose records do not fit the chunk grid, and record
 * coordinate ranges that overlap.
 *
 * @param granules the new granules, ordered by their record coordinate, else by URL
 * @param recordCounts each granule's length along each record group's record dimension ({@link
 *     RecordGroups}), beside {@code granules}
 * @param kinds each variable the manifest holds and how
 * @param signatures each variable's signature
 * @param skipped variables left out of the manifest, with the reason
 */
record CheckedCollection(
    List<GranuleIndex> granules,
    List<Map<String, Long>> recordCounts,
    Map<String, VariableKind> kinds,
    Map<String, Map<String, String>> signatures,
    List<String> skipped) {

  /** Checks and orders {@code input} for a write to {@code existing} (null: a new manifest). */
  static CheckedCollection check(
      List<GranuleIndex> input, ExistingManifest existing, String recordDimension) {
    refuseDuplicates(input, existing);
    String rec = recordDimension;
    // Order: by the record coordinate (the root's, else a group's) when there is one, else by URL.
    List<GranuleIndex> ordered = new ArrayList<>(input);
    ordered.sort(
        (a, b) -> {
          double[] ra = CoordinateRanges.of(CoordinateRanges.recordCoordinate(a, rec));
          double[] rb = CoordinateRanges.of(CoordinateRanges.recordCoordinate(b, rec));
          if (ra != null && rb != null && Double.compare(ra[0], rb[0]) != 0) {
            return Double.compare(ra[0], rb[0]);
          }
          return a.url().compareTo(b.url());
        });
    Map<String, VariableKind> kinds = new LinkedHashMap<>();
    Map<String, Map<String, String>> reference = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>(existing == null ? List.of() : existing.skipped());
    String referenceName;
    if (existing != null) {
      reference.putAll(existing.signatures());
      reference.forEach((name, sig) -> kinds.put(name, VariableKind.valueOf(sig.get("kind"))));
      referenceName = "the manifest";
    } else {
      GranuleIndex first = ordered.get(0);
      for (GranuleVariable v : first.variables()) {
        VariableKind kind = VariableKind.of(v, rec);
        if (kind == null) {
          skipped.add(v.name() + ": the record dimension '" + rec + "' is not its first");
          continue;
        }
        kinds.put(v.name(), kind);
        reference.put(v.name(), VariableSignature.of(v, kind));
      }
      first.skipped().forEach(skipped::add);
      if (!kinds.containsValue(VariableKind.RECORD)
          && !kinds.containsValue(VariableKind.RECORD_COORDINATE)) {
        throw new ArrayMorphException(
            "Granule '"
                + first.url()
                + "' has no variable along the record dimension '"
                + rec
                + "' (its variables: "
                + first.variables().stream().map(v -> v.name() + v.dimensions()).toList()
                + "); name the record dimension (--record-dim, option record_dimension)");
      }
      referenceName = "granule '" + first.url() + "'";
    }
    List<Map<String, Long>> counts = new ArrayList<>();
    for (GranuleIndex g : ordered) {
      counts.add(records(g, kinds, reference, referenceName, rec));
    }
    RecordRangeOrder.check(ordered, existing, recordCoordinates(kinds, reference, rec));
    return new CheckedCollection(ordered, counts, kinds, reference, skipped);
  }

  /** The record groups ({@link RecordGroups}) of the checked variables, the first least nested. */
  List<String> recordGroups() {
    return RecordGroups.of(signatures);
  }

  /**
   * The record coordinates whose ranges must follow one another across granules: each record
   * group's own ({@code <group>/<rec>}), and the one granules are ordered by.
   */
  private static Set<String> recordCoordinates(
      Map<String, VariableKind> kinds, Map<String, Map<String, String>> signatures, String rec) {
    Set<String> out = new LinkedHashSet<>();
    String ordering = CoordinateRanges.recordCoordinate(kinds.keySet(), rec);
    if (ordering != null && kinds.get(ordering) == VariableKind.RECORD_COORDINATE) {
      out.add(ordering);
    }
    for (String group : RecordGroups.of(signatures)) {
      String name = group.isEmpty() ? rec : group + "/" + rec;
      if (kinds.get(name) == VariableKind.RECORD_COORDINATE) {
        out.add(name);
      }
    }
    return out;
  }

  private static void refuseDuplicates(List<GranuleIndex> input, ExistingManifest existing) {
    Set<String> urls = new HashSet<>();
    if (existing != null) {
      existing.granules().forEach(g -> urls.add(g.url()));
    }
    for (GranuleIndex g : input) {
      if (!urls.add(g.url())) {
        throw new ArrayMorphException(
            "Granule '"
                + g.url()
                + "' is already in the manifest (or listed twice); each"
                + " granule can be indexed once");
      }
    }
  }

  /**
   * Checks granule {@code g} against the reference signatures and returns its record count in each
   * record group ({@link RecordGroups}).
   */
  private static Map<String, Long> records(
      GranuleIndex g,
      Map<String, VariableKind> kinds,
      Map<String, Map<String, String>> reference,
      String referenceName,
      String rec) {
    checkGroups(g, kinds, referenceName, rec);
    Set<String> names = new TreeSet<>();
    Map<String, Long> records = new LinkedHashMap<>();
    Map<String, String> counted = new LinkedHashMap<>();
    for (GranuleVariable v : g.variables()) {
      VariableKind kind = kinds.get(v.name());
      if (kind == null) {
        if (VariableKind.of(v, rec) != null) {
          throw disagree(g, v.name(), "it is not in " + referenceName);
        }
        continue;
      }
      names.add(v.name());
      Map<String, String> sig = VariableSignature.of(v, kind);
      Map<String, String> want = reference.get(v.name());
      checkRecordGroup(g, v, sig, want, referenceName, rec);
      for (Map.Entry<String, String> e : want.entrySet()) {
        String have = sig.get(e.getKey());
        if (e.getKey().equals(VariableSignature.RECORD_CHUNK) && v.shape()[0] == 0) {
          continue; // no record, no chunk to place in the grid
        }
        if (!e.getValue().equals(have)) {
          throw disagree(
              g,
              v.name(),
              "its " + e.getKey() + " is " + have + ", " + referenceName + "'s is " + e.getValue());
        }
      }
      if (kind.alongRecords()) {
        String group = VariableSignature.recordGroup(want);
        long len = v.shape()[0];
        Long have = records.putIfAbsent(group, len);
        if (have == null) {
          counted.put(group, v.name());
        } else if (have != len) {
          throw disagree(
              g,
              v.name(),
              "it holds "
                  + len
                  + " records, while variable '"
                  + counted.get(group)
                  + "' along the same record dimension '"
                  + rec
                  + "' of group '"
                  + RecordGroups.display(group)
                  + "' holds "
                  + have);
        }
      }
    }
    Set<String> missing = new TreeSet<>(kinds.keySet());
    missing.removeAll(names);
    if (!missing.isEmpty()) {
      throw disagree(g, missing.iterator().next(), "the granule lacks it");
    }
    for (GranuleVariable v : g.variables()) {
      if (kinds.get(v.name()) == VariableKind.RECORD) {
        Map<String, String> want = reference.get(v.name());
        int chunk = VariableSignature.recordChunk(want);
        long count = records.get(VariableSignature.recordGroup(want));
        if (count % chunk != 0) {
          throw disagree(
              g,
              v.name(),
              "the granule holds "
                  + count
                  + " records, not a multiple of the record chunk length "
                  + chunk
                  + ", so its chunks cannot be placed in the manifest's chunk grid");
        }
      }
    }
    return records;
  }

  /**
   * Refuses a variable that runs along another group's record dimension than in the reference (a
   * group lacking its own record dimension in this granule, or defining one only here), naming the
   * group: its records would land in another record table.
   */
  private static void checkRecordGroup(
      GranuleIndex g,
      GranuleVariable v,
      Map<String, String> sig,
      Map<String, String> want,
      String referenceName,
      String rec) {
    String wanted = want.get(VariableSignature.RECORD_GROUP);
    String have = sig.get(VariableSignature.RECORD_GROUP);
    if (wanted == null || wanted.equals(have)) {
      return; // the same group, or a manifest written before per-group record tables
    }
    String group = wanted.equals("/") ? have : wanted;
    throw refusal(
        g,
        "group '" + group + "'",
        "variable '"
            + v.name()
            + "' runs along the record dimension '"
            + rec
            + "' of group '"
            + have
            + "' in this granule, of group '"
            + wanted
            + "' in "
            + referenceName
            + " (the group "
            + (wanted.equals("/") ? "defines its own '" : "lacks its own '")
            + rec
            + "' here)");
  }

  /**
   * Refuses a granule whose sub-groups (those holding variables a manifest can index) are not the
   * collection's, naming the group: a renamed or missing group would otherwise be reported as each
   * of its variables missing.
   */
  private static void checkGroups(
      GranuleIndex g, Map<String, VariableKind> kinds, String referenceName, String rec) {
    Set<String> want = ManifestFormat.subGroups(kinds.keySet());
    List<String> indexable = new ArrayList<>();
    for (GranuleVariable v : g.variables()) {
      if (kinds.containsKey(v.name()) || VariableKind.of(v, rec) != null) {
        indexable.add(v.name());
      }
    }
    Set<String> have = ManifestFormat.subGroups(indexable);
    for (String group : want) {
      if (!have.contains(group)) {
        String example =
            kinds.keySet().stream().filter(n -> n.startsWith(group + "/")).findFirst().orElse("");
        throw disagreeOnGroup(
            g, group, "the granule lacks it (or its variables, e.g. '" + example + "')");
      }
    }
    for (String group : have) {
      if (!want.contains(group)) {
        throw disagreeOnGroup(g, group, "it is not in " + referenceName);
      }
    }
  }

  private static ArrayMorphException disagree(GranuleIndex g, String variable, String what) {
    return refusal(g, "variable '" + variable + "'", what);
  }

  private static ArrayMorphException disagreeOnGroup(GranuleIndex g, String group, String what) {
    return refusal(g, "group '/" + group + "'", what);
  }

  private static ArrayMorphException refusal(GranuleIndex g, String on, String what) {
    return new ArrayMorphException(
        "Granule '"
            + g.url()
            + "' disagrees with the collection on "
            + on
            + ": "
            + what
            + ". Nothing was written; leave this granule out or index it into another"
            + " manifest");
  }
}
