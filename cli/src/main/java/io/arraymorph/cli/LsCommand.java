package io.arraymorph.cli;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.NodeInfo;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code arraymorph ls <location>}: every group and dataset, one per line. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = "List the groups and datasets in a location: path, kind, shape, dtype, chunks.")
final class LsCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "LOCATION", description = "Store location (path or URI).")
  String location;

  @Override
  int run() {
    List<NodeInfo> nodes;
    try (ArrayStore store = open(location)) {
      nodes = store.list();
    }
    if (nodes.isEmpty()) {
      err().println("arraymorph ls: no groups or datasets in " + location);
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("PATH", "KIND", "SHAPE", "DTYPE", "CHUNKS", "CODECS"));
    for (NodeInfo n : nodes) {
      String path = n.path().isEmpty() ? "/" : n.path();
      if (n.kind() == NodeInfo.Kind.GROUP) {
        rows.add(List.of(path, "group", "", "", "", ""));
      } else {
        rows.add(
            List.of(
                path,
                "dataset",
                n.shape() == null ? "?" : Values.shape(n.shape()),
                n.dataType() == null ? "?" : n.dataType(),
                n.chunkShape() == null ? "?" : Values.shape(n.chunkShape()),
                n.codecs() == null ? "" : n.codecs()));
      }
    }
    Values.align(rows, false).forEach(line -> out().println(line.stripTrailing()));
    return 0;
  }
}
