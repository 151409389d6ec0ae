package io.arraymorph.cli;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.manifest.GranuleLocations;
import io.arraymorph.manifest.ManifestIndex;
import io.arraymorph.manifest.ManifestKerchunk;
import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arraymorph index <manifest> <granules>...}: indexes a collection of HDF5/NetCDF4 granules
 * into a granule manifest (or appends to one) on local threads.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description =
        "Index a collection of HDF5/NetCDF4 granules (files, directories or globs) into a"
            + " granule manifest: a Zarr v3 group whose arrays concatenate the granules along"
            + " their record dimension and read the original files in place.")
final class IndexCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "Where to write the manifest.")
  String manifest;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "GRANULES",
      description = "Granule files, directories (searched recursively) or globs (e.g. 'd/*.nc').")
  List<String> granules;

  @Option(
      names = "--append",
      description = "Add the granules to an existing manifest (a new version is published).")
  boolean append;

  @Option(
      names = "--record-dim",
      paramLabel = "NAME",
      description = "The dimension granules are concatenated along (default: ${DEFAULT-VALUE}).")
  String recordDimension = "time";

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Granules read at once (default: ${DEFAULT-VALUE}).")
  int threads = 8;

  @Option(
      names = "--kerchunk",
      paramLabel = "JSON",
      description =
          "Also export the manifest as kerchunk references to this location (e.g. refs.json),"
              + " for fsspec/zarr-python users.")
  String kerchunk;

  /** The groups whose record dimension has its own length, e.g. " (gt1l: 16, gt2r: 14)". */
  private String groupRecords(ManifestWriter.Result r) {
    if (r.groupRecords().isEmpty()) {
      return "";
    }
    String list =
        r.groupRecords().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", "));
    return " (groups' own " + recordDimension + ": " + list + ")";
  }

  @Override
  int run() {
    List<String> files = GranuleLocations.resolve(granules, settings());
    ManifestWriter.Options options =
        ManifestWriter.Options.DEFAULT.withRecordDimension(recordDimension).withAppend(append);
    ManifestWriter.Result r = ManifestIndex.index(files, manifest, settings(), options, threads);
    for (String s : r.skipped()) {
      err().println("arraymorph index: warning: left out " + s);
    }
    out()
        .println(
            (append ? "appended " : "indexed ")
                + r.added()
                + " granules into "
                + manifest
                + ": "
                + r.granules()
                + " granules, "
                + r.records()
                + " records along "
                + recordDimension
                + groupRecords(r)
                + ", version "
                + r.generation());
    out().println("arrays: " + String.join(", ", r.variables()));
    if (kerchunk != null) {
      byte[] refs;
      try (ArrayStore store = open(manifest)) {
        refs = ManifestKerchunk.export(store);
      }
      String trimmed = kerchunk.replaceAll("/+$", "");
      int slash = trimmed.lastIndexOf('/');
      String parent = slash < 0 ? "." : trimmed.substring(0, slash + 1);
      try (ObjectStore store = ObjectStores.open(parent, settings())) {
        Futures.join(store.put(trimmed.substring(slash + 1), refs));
      }
      out().println("kerchunk references: " + kerchunk + " (" + refs.length + " bytes)");
    }
    return 0;
  }
}
