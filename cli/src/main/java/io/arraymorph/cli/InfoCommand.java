package io.arraymorph.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.scan.StoredChunk;
import io.arraymorph.scan.StoredChunks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arraymorph info <location> <dataset> [--chunks]}: a dataset's metadata. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Describe a dataset: shape, dtype, chunks, codecs, dimension names, fill value and"
            + " attributes; with --chunks also every stored chunk object.")
final class InfoCommand extends StoreCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "LOCATION", description = "Store location (path or URI).")
  String location;

  @Parameters(index = "1", paramLabel = "DATASET", description = "Dataset path, e.g. values.")
  String dataset;

  @Option(
      names = "--chunks",
      description = "List the stored chunks: grid coordinates, object key and stored size.")
  boolean chunks;

  @Override
  int run() throws JsonProcessingException {
    try (ArrayStore store = open(location)) {
      Dataset d = store.dataset(dataset);
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("path:", d.path()));
      rows.add(List.of("shape:", Values.shape(d.shape())));
      // HDF5 strings, compounds and enums have no numeric dtype or numeric fill value.
      boolean values = d.readsValues();
      rows.add(List.of("dtype:", d.elementType().describe()));
      rows.add(
          List.of(
              "chunks:",
              Values.shape(d.chunkShape())
                  + " (grid "
                  + Values.shape(d.grid().gridShape())
                  + ", "
                  + d.grid().chunkCount()
                  + " chunks)"));
      rows.add(List.of("codecs:", d.codecDescription()));
      rows.add(List.of("dimensions:", String.join(", ", d.dimensionNames())));
      if (!values) {
        rows.add(
            List.of("fill_value:", Values.fillValue(d.dataType(), d.chunkSource().fillValue())));
      }
      Map<String, Object> attrs = d.attributes();
      rows.add(List.of("attributes:", attrs.isEmpty() ? "(none)" : ""));
      Values.align(rows, false).forEach(line -> out().println(line.stripTrailing()));
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        out().println("  " + e.getKey() + ": " + JSON.writeValueAsString(e.getValue()));
      }
      if (chunks) {
        printChunks(store, d);
      }
    }
    return 0;
  }

  private void printChunks(ArrayStore store, Dataset d) {
    if (!StoredChunks.listable(d)) {
      out().println("stored chunks: not listable for this format (" + d.codecDescription() + ")");
      return;
    }
    List<StoredChunk> stored = new ArrayList<>(StoredChunks.of(store.objectStore(), d));
    stored.sort((a, b) -> Arrays.compare(a.chunkCoords(), b.chunkCoords()));
    long bytes = stored.stream().mapToLong(StoredChunk::size).sum();
    out()
        .println(
            "stored chunks: "
                + stored.size()
                + " of "
                + d.grid().chunkCount()
                + ", "
                + bytes
                + " bytes (chunks not stored read as the fill value)");
    if (stored.isEmpty()) {
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("COORDS", "KEY", "SIZE"));
    for (StoredChunk c : stored) {
      rows.add(List.of(Values.shape(c.chunkCoords()), c.key(), Long.toString(c.size())));
    }
    Values.align(rows, false).forEach(line -> out().println("  " + line.stripTrailing()));
  }
}
